// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import {
  ExecFailedError,
  ExecTimeoutError,
  InvalidConfigError,
  ProtocolError,
  RuntimeError,
} from "../errors.ts";
import type { DecodedMessage, ExecFailed } from "../protocol/mod.ts";
import { FLAG_TERMINAL } from "../protocol/mod.ts";
import { size } from "./_exec_request.ts";
import { OutputDemux } from "./_output_demux.ts";
import type { ExecChannel } from "./exec_channel.ts";
import type { ExecEvent, ExitStatus } from "./exec_options.ts";

/** Messages a session may send before `core.exec.started`; agentd sends that one first. */
const MAX_EARLY_EVENTS = 64;

/** Stdin is sent in messages of at most this many bytes. */
const STDIN_CHUNK = 1024 * 1024;

let makeProcess: (
  channel: ExecChannel,
  pid: number,
  early: ExecEvent[],
  watch: { signal: AbortSignal | undefined; timeout: number | undefined; elapsed: number },
) => ExecProcess;

/** How a process is started and watched. */
export interface StartOptions {
  /** Ends the wait for `core.exec.started` (the caller's signal and the timeout together). */
  startSignal: AbortSignal | undefined;
  /** The caller's signal, which kills the process once it runs. */
  signal: AbortSignal | undefined;
  /** Milliseconds from the start after which the process is killed. */
  timeout: number | undefined;
}

/**
 * Opens a process over an exec session: waits for `core.exec.started`, or throws the
 * `ExecFailedError` of a spawn that failed; `signal` and `timeout` kill it later.
 */
export async function startProcess(
  channel: ExecChannel,
  options: StartOptions,
): Promise<ExecProcess> {
  const { startSignal: signal, timeout } = options;
  const reader = channel.messages.getReader();
  const early: ExecEvent[] = [];
  const began = Date.now();
  const onAbort = () => abandon(channel);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const event = eventOf(await readMessage(reader));
      if (!event) continue;
      if (event.type === "failed") throw event.error;
      if (event.type === "started") {
        reader.releaseLock();
        return makeProcess(channel, event.pid, [event, ...early], {
          signal: options.signal,
          timeout,
          elapsed: Date.now() - began,
        });
      }
      early.push(event);
      if (early.length > MAX_EARLY_EVENTS) {
        throw new ProtocolError(
          `exec session: more than ${MAX_EARLY_EVENTS} messages arrived before core.exec.started`,
        );
      }
    }
  } catch (error) {
    // A failed spawn has no process; an abort gave the session up already.
    if (error instanceof ExecFailedError || signal?.aborted) channel.close();
    else abandon(channel);
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Gives up a session whose process may be running already: asks the agent to kill it (a shared
 * socket stays open, so closing the session alone would leave the process running), then closes
 * the session.
 */
function abandon(channel: ExecChannel): void {
  channel.send("core.exec.signal", { signal: 9 }).catch(() => {});
  channel.close();
}

/**
 * A process running in a sandbox, as Web Streams: write `stdin`, read `stdout` and `stderr` (or
 * every {@linkcode ExecEvent} from `events`), await `exited`. Cancelling the streams you read,
 * aborting the spawn's signal or its timeout kills the remote process.
 *
 * Read either `events`, or `stdout` and `stderr` (read or cancel both: like pipes, an unread one
 * fills and then holds the other back). Awaiting `exited` before touching any of them discards
 * the output.
 *
 * @example Stream a command's output
 * ```ts ignore
 * import { Microsandbox } from "@microsandbox/edge";
 *
 * const sandbox = await Microsandbox.fromEnv().sandboxes.get("build-42");
 * const process = await sandbox.spawn("sh", ["-c", "for i in 1 2 3; do echo $i; sleep 1; done"]);
 * await process.stdin.close();
 * await process.stdout.pipeTo(Deno.stdout.writable, { preventClose: true });
 * await process.stderr.cancel();
 * console.log(await process.exited); // { code: 0, success: true }
 * ```
 */
export class ExecProcess implements AsyncDisposable {
  /** The process id in the sandbox. */
  readonly pid: number;
  /** The process's stdin; closing it sends end-of-file. */
  readonly stdin: WritableStream<Uint8Array>;
  readonly #channel: ExecChannel;
  readonly #events: ReadableStream<ExecEvent>;
  readonly #exited: Promise<ExitStatus>;
  #settle!: (status: ExitStatus | Error) => void;
  #claimed: "events" | "output" | "drain" | undefined;
  #demux: OutputDemux | undefined;
  #done = false;
  #failure: Error | undefined;
  #cleanup: (() => void) | undefined;

  static {
    makeProcess = (channel, pid, early, watch) => {
      const process = new ExecProcess(channel, pid, early);
      process.#watch(watch.signal, watch.timeout, watch.elapsed);
      return process;
    };
  }

  private constructor(channel: ExecChannel, pid: number, early: ExecEvent[]) {
    this.pid = pid;
    this.#channel = channel;
    this.#exited = new Promise<ExitStatus>((resolve, reject) => {
      this.#settle = (value) => value instanceof Error ? reject(value) : resolve(value);
    });
    this.#exited.catch(() => {});
    this.#events = this.#eventStream(channel.messages.getReader(), early);
    this.stdin = this.#stdinStream();
  }

  /** Every event of the process, `exited` last; a failure errors the stream. */
  get events(): ReadableStream<ExecEvent> {
    this.#claim("events");
    return this.#events;
  }

  /** The process's stdout (in a terminal, stderr too). */
  get stdout(): ReadableStream<Uint8Array> {
    return this.#output().stdout;
  }

  /** The process's stderr. */
  get stderr(): ReadableStream<Uint8Array> {
    return this.#output().stderr;
  }

  /** How the process ended; rejects with the error that ended it otherwise. */
  get exited(): Promise<ExitStatus> {
    if (this.#claimed === undefined) {
      this.#claimed = "drain";
      this.#events.pipeTo(new WritableStream()).catch(() => {});
    }
    return this.#exited;
  }

  /**
   * Sends a signal to the process.
   *
   * @param signal The Linux signal number.
   * @default {9}
   */
  async kill(signal = 9): Promise<void> {
    if (this.#done) return;
    await this.#channel.send("core.exec.signal", { signal });
  }

  /**
   * Resizes the process's terminal (`tty` processes only).
   *
   * @param rows Terminal rows.
   * @param cols Terminal columns.
   */
  async resize(rows: number, cols: number): Promise<void> {
    if (this.#done) return;
    await this.#channel.send("core.exec.resize", {
      rows: size("rows", rows),
      cols: size("cols", cols),
    });
  }

  /** Kills the process if it still runs and releases its connection. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#done) await this.kill().catch(() => {});
    this.#finish(new RuntimeError("the process was disposed"));
  }

  /** Kills the process when `signal` aborts or `timeout` passes (`elapsed` of it are gone). */
  #watch(signal: AbortSignal | undefined, timeout: number | undefined, elapsed: number): void {
    const stop = (error: unknown) => {
      this.kill().catch(() => {});
      this.#finish(error instanceof Error ? error : new RuntimeError(String(error)));
    };
    const onAbort = () => stop(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer = timeout === undefined
      ? undefined
      : setTimeout(() => stop(new ExecTimeoutError(timeout)), Math.max(0, timeout - elapsed));
    this.#cleanup = () => {
      signal?.removeEventListener("abort", onAbort);
      clearTimeout(timer);
    };
    if (signal?.aborted) onAbort();
  }

  #claim(how: "events" | "output"): void {
    if (this.#claimed === undefined) this.#claimed = how;
    else if (this.#claimed !== how) {
      const wanted = how === "events" ? "events" : "stdout or stderr";
      const why = this.#claimed === "drain"
        ? "discarded, since exited was awaited first: read the output before awaiting exited"
        : `read through ${this.#claimed === "events" ? "events" : "stdout and stderr"}: ` +
          "read a process's output one way only (events, or stdout and stderr)";
      throw new InvalidConfigError(`Cannot read ${wanted}: the process's output is ${why}`);
    }
  }

  #output(): OutputDemux {
    this.#claim("output");
    this.#demux ??= new OutputDemux(this.#events);
    return this.#demux;
  }

  #eventStream(
    reader: ReadableStreamDefaultReader<DecodedMessage>,
    early: ExecEvent[],
  ): ReadableStream<ExecEvent> {
    return new ReadableStream<ExecEvent>({
      pull: async (controller) => {
        try {
          const event = early.shift() ?? await this.#nextEvent(reader);
          controller.enqueue(event);
          if (event.type === "exited") {
            controller.close();
            this.#finish({ code: event.code, success: event.success });
          } else if (event.type === "failed") {
            controller.close();
            this.#finish(event.error);
          }
        } catch (error) {
          // A session that failed alone (its unread bound) leaves the process running: kill it.
          if (!this.#done) this.kill().catch(() => {});
          // Once killed by a signal, timeout or cancel, the socket's end (or the enqueue into a
          // cancelled stream) is a consequence, not the cause.
          const failure = this.#failure ?? error as Error;
          controller.error(failure);
          this.#finish(failure);
        }
      },
      cancel: async (reason) => {
        const cancelled = new RuntimeError("the process's output was cancelled", { cause: reason });
        this.#failure ??= cancelled;
        if (!this.#done) await this.kill().catch(() => {});
        this.#finish(cancelled);
      },
    }, { highWaterMark: 0 });
  }

  async #nextEvent(reader: ReadableStreamDefaultReader<DecodedMessage>): Promise<ExecEvent> {
    for (;;) {
      const event = eventOf(await readMessage(reader));
      if (event) return event;
    }
  }

  #stdinStream(): WritableStream<Uint8Array> {
    const send = (data: Uint8Array) => {
      if (this.#done) throw new RuntimeError("cannot write to stdin: the process has ended");
      return this.#channel.send("core.exec.stdin", { data });
    };
    return new WritableStream<Uint8Array>({
      async write(chunk) {
        for (let at = 0; at < chunk.byteLength; at += STDIN_CHUNK) {
          await send(chunk.subarray(at, at + STDIN_CHUNK));
        }
      },
      close: async () => {
        if (!this.#done) await send(new Uint8Array(0));
      },
      abort: async () => {
        if (!this.#done) await send(new Uint8Array(0));
      },
    });
  }

  #finish(outcome: ExitStatus | Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#cleanup?.();
    if (outcome instanceof Error) this.#failure = outcome;
    this.#channel.close();
    if (outcome instanceof Error) {
      this.#demux?.fail(outcome);
      this.#settle(outcome);
    } else {
      this.#settle(outcome);
    }
  }
}

/** Reads the session's next message; its end before a terminal one is an error. */
async function readMessage(
  reader: ReadableStreamDefaultReader<DecodedMessage>,
): Promise<DecodedMessage> {
  const { done, value } = await reader.read();
  if (done) throw new RuntimeError("cloud exec websocket closed before exit event");
  return value;
}

/** The event a message means, `undefined` for one to skip; throws for a terminal failure. */
function eventOf(message: DecodedMessage): ExecEvent | undefined {
  if (message.unknown) {
    if (message.flags & FLAG_TERMINAL) {
      throw new ProtocolError(`exec session ${message.id}: ended by an unknown ${message.type}`);
    }
    return undefined;
  }
  switch (message.type) {
    case "core.exec.started":
      return { type: "started", pid: message.payload.pid };
    case "core.exec.stdout":
      return { type: "stdout", data: message.payload.data };
    case "core.exec.stderr":
      return { type: "stderr", data: message.payload.data };
    case "core.exec.stdin.error":
      return { type: "stdinError", ...message.payload };
    case "core.exec.exited":
      return { type: "exited", code: message.payload.code, success: message.payload.code === 0 };
    case "core.exec.failed":
      return { type: "failed", error: execFailed(message.payload) };
    case "core.error":
      throw new ProtocolError(
        `exec session ${message.id}: the agent refused it (${message.payload.kind}): ${message.payload.message}`,
      );
    default:
      if (message.flags & FLAG_TERMINAL) {
        throw new ProtocolError(
          `exec session ${message.id}: ended by an unexpected ${message.type}`,
        );
      }
      return undefined;
  }
}

function execFailed(payload: ExecFailed): ExecFailedError {
  return new ExecFailedError(`exec failed: ${payload.message}`, {
    failureKind: payload.kind,
    errno: payload.errno,
    errnoName: payload.errnoName,
    stage: payload.stage,
  });
}
