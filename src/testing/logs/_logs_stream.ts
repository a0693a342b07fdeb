/**
 * One log stream of the local cloud: a pull-based `text/event-stream` body over the log history
 * of one sandbox. It reads the history lazily from its cursor (never faster than the client
 * reads), writes the entries that are ready in one chunk (up to about 64 KiB), waits for new
 * entries with a heartbeat, and ends with `event: end` when the sandbox stops or is deleted.
 *
 * @module
 */

import { LogCursor } from "../../logs/log_cursor.ts";
import { encodeSseEvent } from "../../sse/mod.ts";
import type { LogEntry, LogSource } from "./_exec_log_history.ts";
import type { LogFault } from "../app/_faults.ts";
import type { SandboxStore } from "../rest/_store.ts";

/** The cursor generation of every position this cloud hands out. */
export const LOG_CURSOR_GENERATION = 1n;

/** About how many bytes one chunk of a log stream holds at most. */
const CHUNK_BYTES = 64 * 1024;

let liveStreams = 0;
const liveByStore = new WeakMap<SandboxStore, number>();

/**
 * How many log streams still hold a subscription (for tests: 0 once every stream ended or was
 * cancelled).
 *
 * @param store Count only the streams of this cloud's store; without it, every cloud's.
 * @returns The count.
 */
export function liveLogStreams(store?: SandboxStore): number {
  return store ? liveByStore.get(store) ?? 0 : liveStreams;
}

function countLive(store: SandboxStore, delta: 1 | -1): void {
  liveStreams += delta;
  liveByStore.set(store, (liveByStore.get(store) ?? 0) + delta);
}

/** What a log stream needs. */
export interface LogStreamInit {
  /** The cloud's sandboxes and log history. */
  readonly store: SandboxStore;
  /** The sandbox id. */
  readonly sandboxId: string;
  /** The sources to send. */
  readonly sources: ReadonlySet<LogSource>;
  /** Send only entries with a larger `seq`. */
  readonly afterSeq: number;
  /** Milliseconds of silence before a `: ping` comment. */
  readonly heartbeatMs: number;
  /** Whether the stream ends after the history (the sandbox is stopped or failed already). */
  readonly ended: boolean;
  /** The fault to act out, if any. */
  readonly fault: LogFault | undefined;
  /** Aborted when the cloud closes (a client that goes away cancels the body). */
  readonly signals: readonly AbortSignal[];
}

/**
 * Builds the body of one log stream.
 *
 * @param init The sandbox, filters, cursor, heartbeat and fault.
 * @returns The body; cancelling it releases the subscriptions.
 */
export function logStreamBody(init: LogStreamInit): ReadableStream<Uint8Array> {
  const { store, sandboxId, sources, heartbeatMs, fault } = init;
  const logs = store.logs;
  const encoder = new TextEncoder();
  /** The seq of the last history entry looked at. */
  let position = init.afterSeq;
  /** For `stall` and `endWithoutEvent`: the last entry that counts as history. */
  const historyEnd = logs.lastSeq;
  let ending = init.ended;
  let released = false;
  let aborted = false;
  let logEvents = 0;
  let injected = fault === undefined ||
    !["garbage", "invalidJson", "unknownEvent", "unknownSource"].includes(fault.kind);
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastWrite = Date.now();

  const notify = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const unsubscribe = logs.subscribe((entry) => {
    if (entry.sandboxId === sandboxId && sources.has(entry.source)) notify();
  });
  const unfollow = logs.follow(() => position);
  const unwatch = store.watch((record, change) => {
    if (record.id !== sandboxId) return;
    if (change === "stopped" || change === "failed" || change === "deleted") {
      ending = true;
      notify();
    }
  });
  const onAbort = (): void => {
    aborted = true;
    release();
  };
  countLive(store, 1);
  for (const signal of init.signals) signal.addEventListener("abort", onAbort);
  if (init.signals.some((signal) => signal.aborted)) onAbort();

  function release(): void {
    if (released) return;
    released = true;
    countLive(store, -1);
    unsubscribe();
    unfollow();
    unwatch();
    clearTimeout(timer);
    timer = undefined;
    for (const signal of init.signals) signal.removeEventListener("abort", onAbort);
    notify();
  }

  /** The text of the entries ready after `position`, up to the chunk size or `limit` events. */
  function collect(limit: number, until: number): string {
    let text = "";
    let count = 0;
    logs.scan(position, (entry) => {
      if (entry.seq > until || text.length >= CHUNK_BYTES || count >= limit) return false;
      position = entry.seq;
      if (entry.sandboxId !== sandboxId || !sources.has(entry.source)) return true;
      text += logEvent(entry);
      count++;
      logEvents++;
      if (!injected) {
        injected = true;
        text += injection(fault!.kind);
      }
      return true;
    });
    return text;
  }

  /** The entry's event: each is written once, then shared by every stream that sends it. */
  function logEvent(entry: LogEntry): string {
    return entry.event ??= writeLogEvent(entry);
  }

  /** Waits for a new entry, the end, the client going away, or `ms` (when given). */
  function waitFor(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      wake = () => {
        clearTimeout(timer);
        timer = undefined;
        resolve();
      };
      if (ms !== undefined) timer = setTimeout(() => notify(), ms);
    });
  }

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (!released) {
        const cut = fault?.kind === "cutAfter";
        if (cut && logEvents >= fault.events) {
          release();
          controller.error(new Error("Log stream cut by faults.logFault"));
          return;
        }
        const historyOnly = fault?.kind === "stall" || fault?.kind === "endWithoutEvent";
        const limit = cut ? fault.events - logEvents : Infinity;
        const text = collect(limit, historyOnly ? historyEnd : Infinity);
        if (text !== "") {
          logs.progressed();
          lastWrite = Date.now();
          controller.enqueue(encoder.encode(text));
          return;
        }
        // Nothing was ready: the history (up to `historyEnd` for these faults) is sent.
        if (fault?.kind === "endWithoutEvent") {
          release();
          controller.close();
          return;
        }
        if (fault?.kind === "stall") {
          await waitFor(undefined);
          continue;
        }
        if (ending) {
          release();
          controller.enqueue(encoder.encode(encodeSseEvent({ event: "end", data: "{}" })));
          controller.close();
          return;
        }
        const silence = Date.now() - lastWrite;
        if (silence >= heartbeatMs) {
          lastWrite = Date.now();
          controller.enqueue(encoder.encode(encodeSseEvent({ comment: "ping" }) + "\n"));
          return;
        }
        await waitFor(heartbeatMs - silence);
      }
      if (aborted) {
        try {
          controller.close();
        } catch {
          // Already cancelled by the client.
        }
      }
    },
    cancel() {
      release();
    },
  }, { highWaterMark: 0 });
}

const decoder = new TextDecoder();

/** The last timestamp written and its ISO text: entries of one burst share their millisecond. */
let lastTime = { ms: NaN, iso: "" };

/**
 * The `log` event of a history entry, as msb-cloud writes it: `{source, ts, text, session_id?}`
 * (in that order) with the entry's cursor as `id`.
 */
function writeLogEvent(entry: LogEntry): string {
  if (lastTime.ms !== entry.timestamp) {
    lastTime = { ms: entry.timestamp, iso: new Date(entry.timestamp).toISOString() };
  }
  const session = entry.sessionId === null ? "" : `,"session_id":${entry.sessionId}`;
  const data = `{"source":"${entry.source}","ts":"${lastTime.iso}","text":${
    JSON.stringify(decoder.decode(entry.data))
  }${session}}`;
  const id = new LogCursor([{ generation: LOG_CURSOR_GENERATION, offset: BigInt(entry.seq) }]);
  return encodeSseEvent({ id: id.toString(), event: "log", data });
}

/** The block a fault inserts after the first log event. */
function injection(kind: LogFault["kind"]): string {
  const ts = new Date().toISOString();
  switch (kind) {
    case "garbage":
      return ":::%%%\n%%%garbage\ndata\n\n";
    case "invalidJson":
      return encodeSseEvent({ event: "log", data: "{not json" });
    case "unknownEvent":
      return encodeSseEvent({ event: "future", data: JSON.stringify({ ts, hint: "new" }) });
    case "unknownSource":
      return encodeSseEvent({
        event: "log",
        data: JSON.stringify({ source: "gpu", ts, text: "from the gpu\n" }),
      });
    default:
      return "";
  }
}
