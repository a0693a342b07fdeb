// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// A sandbox's followed log as one pull-based stream that survives disconnects: each connection is
// read only as fast as the consumer reads, a connection that fails or ends without `end` is
// reopened after the last cursor (Last-Event-ID) with backoff that honours the server's `retry`,
// and a connection that delivers nothing for `stallTimeout` ends the stream. A cancel is final: it
// ends the request, the backoff wait and the watchdog, and nothing is opened after it.

import {
  ConnectionError,
  MicrosandboxError,
  ProtocolError,
  StreamStalledError,
} from "../errors.ts";
import { SseParser } from "../sse/sse_parser.ts";
import type { SseEvent } from "../sse/sse_event.ts";
import { backoffDelay, sleep } from "../transport/_retry.ts";
import type { HttpTransport } from "../transport/http_transport.ts";
import { LogCursor } from "./log_cursor.ts";
import type { LogEntry, LogSource } from "./log_entry.ts";
import { entryOf, inWindow } from "./log_entry_stream.ts";

/**
 * Options of `sandbox.logs()`.
 *
 * @example The last hour of stderr, resumable
 * ```ts
 * import type { LogEntry, LogsOptions, Sandbox } from "@microsandbox/edge";
 *
 * function recentErrors(sandbox: Sandbox, resumeAfter?: string): ReadableStream<LogEntry> {
 *   const options: LogsOptions = {
 *     sources: ["stderr"],
 *     since: new Date(Date.now() - 60 * 60 * 1000),
 *     // The `cursor` of the last entry a previous reader saw: start right after it.
 *     cursor: resumeAfter,
 *     // Give up when not even a heartbeat arrives for two minutes.
 *     stallTimeout: 120_000,
 *   };
 *   return sandbox.logs(options);
 * }
 * ```
 */
export interface LogsOptions {
  /**
   * Follow the log as it grows; msb-cloud has no bounded snapshot, so `false` is refused.
   * @default {true}
   */
  follow?: boolean | undefined;
  /** The sources to read; none means stdout, stderr and output. */
  sources?: readonly LogSource[] | undefined;
  /** Drop entries written before this time. */
  since?: Date | undefined;
  /** End at the first entry written at or after this time. */
  until?: Date | undefined;
  /** Resume after this cursor (an entry's `cursor`, or its text). */
  cursor?: LogCursor | string | undefined;
  /** Cancels the stream and its request; the stream then errors with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * Reopen the stream after a network error or an end without `end`; `false` to fail instead
   * with a `ConnectionError` (whose `cause` is the runtime's error). Ten reconnections in a row
   * without a new entry fail the same way.
   * @default {true}
   */
  reconnect?: boolean | undefined;
  /**
   * Milliseconds without a byte (not even a heartbeat) after which the stream fails with
   * `StreamStalledError`.
   * @default {60000}
   */
  stallTimeout?: number | undefined;
}

/** Reconnections in a row without a new entry before the stream gives up. */
const MAX_FRUITLESS_RECONNECTS = 10;
const RECONNECT_BACKOFF = {
  attempts: Infinity,
  baseDelay: 250,
  maxDelay: 5000,
  maxElapsed: Infinity,
};
const OPERATION = "GET /v1/sandboxes/:id/logs";

/** Where the stream goes: the transport, and the path and query its wire adapter built. */
export interface LogTarget {
  transport: HttpTransport;
  /** The path, already percent-encoded. */
  path: string;
  /** The query, without `?`; empty for none. */
  query: string;
}

/** Opens `sandbox.logs()`: nothing is requested until the first read. */
export function openLogStream(
  target: LogTarget,
  options: LogsOptions = {},
): ReadableStream<LogEntry> {
  const session = new LogSession(target, options);
  return new ReadableStream<LogEntry>({
    pull: (controller) => session.pull(controller),
    cancel: (reason) => session.cancel(reason),
  }, { highWaterMark: 0 });
}

/** Whether a failure is worth a reconnection: a cut connection or a server that is busy. */
function transient(error: unknown): boolean {
  if (!(error instanceof MicrosandboxError)) return true;
  if (error instanceof StreamStalledError) return false;
  return error.kind === "Connection" || [429, 502, 503, 504].includes(error.status ?? 0);
}

/** One connection: its body, and the events parsed from it but not yet taken. */
interface Connection {
  /**
   * The response, held for as long as its body is read: Deno (2.9) stops aborting a fetch whose
   * `Response` was garbage collected, so without it the stall watchdog's abort could no longer
   * end a read the server never answers.
   */
  response: Response;
  body: ReadableStreamDefaultReader<Uint8Array>;
  decoder: TextDecoder;
  parser: SseParser;
  /** Parsed events; those before `taken` are gone. */
  events: SseEvent[];
  taken: number;
  ended: boolean;
}

class LogSession {
  readonly #target: LogTarget;
  readonly #options: LogsOptions;
  readonly #stallTimeout: number;
  /** Aborted by a cancel (final) or by the caller's signal; ends waits and requests alike. */
  readonly #cancel = new AbortController();
  readonly #signal: AbortSignal;
  #cursor: string | undefined;
  #connection: Connection | undefined;
  #abort: AbortController | undefined;
  #retry: number | undefined;
  #fruitless = 0;
  #waitingSince: number | undefined;
  #watchdog: ReturnType<typeof setInterval> | undefined;

  constructor(target: LogTarget, options: LogsOptions) {
    this.#target = target;
    this.#options = options;
    this.#stallTimeout = options.stallTimeout ?? 60_000;
    this.#signal = options.signal
      ? AbortSignal.any([options.signal, this.#cancel.signal])
      : this.#cancel.signal;
    // A cursor given as text is checked now, so a bad one fails before any request.
    const cursor = typeof options.cursor === "string"
      ? LogCursor.parse(options.cursor)
      : options.cursor;
    this.#cursor = cursor?.toString() || undefined;
  }

  /**
   * Passes on the entries of the next body chunk: those already parsed go out together, without
   * waiting (a chunk holds at most about 64 KiB of them), and no further chunk is read until the
   * consumer pulls again.
   */
  async pull(controller: ReadableStreamDefaultController<LogEntry>): Promise<void> {
    let enqueued = false;
    for (;;) {
      const event = this.#buffered() ?? (enqueued ? null : await this.#next());
      if (event === null) return;
      if (event === "end") return controller.close();
      if (event === undefined) continue; // a fresh connection: read again
      if (event.retry !== undefined) this.#retry = event.retry;
      if (event.event !== "log") continue;
      const entry = entryOf(event);
      this.#cursor = event.id ?? this.#cursor;
      this.#fruitless = 0;
      if (!entry) continue;
      const verdict = inWindow(entry, this.#options);
      if (verdict === "end") {
        this.#close();
        return controller.close();
      }
      if (verdict === "skip") continue;
      controller.enqueue(entry);
      enqueued = true;
    }
  }

  /** Ends the stream for good: its request, its backoff wait and its watchdog. */
  cancel(reason: unknown): void {
    this.#cancel.abort(reason);
    this.#close();
  }

  /** The next event parsed from the current chunk but not taken yet, if any (an `end` event is left to {@linkcode LogSession.#next}). */
  #buffered(): SseEvent | undefined {
    const connection = this.#connection;
    if (!connection || connection.taken === connection.events.length) return undefined;
    if (connection.events[connection.taken]!.event === "end") return undefined;
    return connection.events[connection.taken++];
  }

  /**
   * The next event, `"end"` when the log ended, `undefined` after a reconnection, `null` once
   * cancelled (the stream is closed already, and whatever arrived after the cancel is released).
   */
  async #next(): Promise<SseEvent | "end" | undefined | null> {
    let failure: unknown;
    try {
      this.#connection ??= await this.#connect();
      if (this.#cancelled()) return null;
      const value = await this.#read(this.#connection);
      if (this.#cancelled()) return null;
      if (value?.event === "end") {
        this.#close();
        return "end";
      }
      if (value) return value;
      failure = new ProtocolError("the server ended the stream without an end event");
    } catch (error) {
      if (this.#cancelled()) return null;
      if (this.#options.signal?.aborted) throw this.#fail(this.#options.signal.reason);
      if (!transient(error)) throw this.#fail(error);
      failure = error;
    }
    try {
      await this.#reconnect(failure);
    } catch (error) {
      if (this.#cancelled()) return null;
      throw error;
    }
    return undefined;
  }

  /** Whether the stream was cancelled; if so, releases what a call in flight opened since. */
  #cancelled(): boolean {
    if (!this.#cancel.signal.aborted) return false;
    this.#close();
    return true;
  }

  async #connect(): Promise<Connection> {
    this.#abort = new AbortController();
    const signal = AbortSignal.any([this.#signal, this.#abort.signal]);
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (this.#cursor) headers["last-event-id"] = this.#cursor;
    const response = await this.#target.transport.stream({
      operation: OPERATION,
      method: "GET",
      path: this.#target.path,
      query: this.#target.query,
      retry: "never",
      signal,
      headers,
    });
    const body = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    const events: SseEvent[] = [];
    return {
      response,
      body: body.getReader(),
      decoder: new TextDecoder("utf-8", { ignoreBOM: true }),
      parser: new SseParser({ onEvent: (event) => events.push(event) }, { dispatchEmpty: true }),
      events,
      taken: 0,
      ended: false,
    };
  }

  /**
   * The connection's next event, or `undefined` once it has ended. Each body chunk is parsed
   * whole, so the events it holds are then taken without waiting; a watchdog (one timer per
   * stream, not one per read) fails a read that waits on the server longer than `stallTimeout`.
   */
  async #read(connection: Connection): Promise<SseEvent | undefined> {
    this.#watchdog ??= setInterval(() => this.#checkStall(), Math.max(10, this.#stallTimeout / 4));
    if (connection.taken === connection.events.length) {
      connection.events.length = 0;
      connection.taken = 0;
    }
    while (connection.events.length === 0 && !connection.ended) {
      this.#waitingSince = performance.now();
      try {
        const { done, value } = await connection.body.read();
        if (done) {
          connection.parser.feed(connection.decoder.decode());
          connection.parser.end();
          connection.ended = true;
        } else {
          connection.parser.feed(connection.decoder.decode(value, { stream: true }));
        }
      } finally {
        this.#waitingSince = undefined;
      }
    }
    return connection.events[connection.taken++];
  }

  #checkStall(): void {
    if (this.#waitingSince === undefined) return;
    if (performance.now() - this.#waitingSince < this.#stallTimeout) return;
    this.#abort?.abort(
      new StreamStalledError(`${OPERATION}: nothing arrived for ${this.#stallTimeout} ms`),
    );
  }

  async #reconnect(failure: unknown): Promise<void> {
    this.#close();
    if (this.#options.reconnect === false) throw this.#fail(cutError(failure, undefined));
    if (++this.#fruitless > MAX_FRUITLESS_RECONNECTS) {
      throw this.#fail(cutError(failure, MAX_FRUITLESS_RECONNECTS));
    }
    // A connection that delivered entries is reopened at once (unless the server set `retry`);
    // failures in a row back off.
    const delay = this.#fruitless === 1 && this.#retry === undefined
      ? 0
      : backoffDelay(this.#fruitless - 1, RECONNECT_BACKOFF, this.#retry);
    await sleep(delay, this.#signal);
  }

  #fail(error: unknown): unknown {
    this.#close();
    return error;
  }

  #close(): void {
    clearInterval(this.#watchdog);
    this.#watchdog = undefined;
    this.#abort?.abort();
    this.#connection?.body.cancel().catch(() => {});
    this.#connection = undefined;
  }
}

/**
 * The error a cut ends the stream with: a `ConnectionError` whose `cause` is the runtime's error
 * (or the server's answer), after `attempts` fruitless reconnections or, without a count, with
 * `reconnect: false`.
 */
function cutError(failure: unknown, attempts: number | undefined): ConnectionError {
  const unreached = failure instanceof ConnectionError;
  const cause = unreached && failure.cause !== undefined ? failure.cause : failure;
  const said = withoutOperation(failure instanceof Error ? failure.message : String(failure));
  let what = said;
  if (unreached) what = `could not reach the cloud (${said})`;
  else if (!(failure instanceof MicrosandboxError)) what = `the connection was cut (${said})`;
  const message = attempts === undefined
    ? `${OPERATION}: ${what}, and reconnect is false; read again from the cursor of the last ` +
      "entry, or leave reconnect on to resume by itself"
    : `${OPERATION}: gave up after ${attempts} reconnections in a row without a new entry, the ` +
      `last because ${what}; check that the sandbox exists and the cloud is reachable, then read ` +
      "again from the cursor of the last entry";
  return new ConnectionError(message, { cause, operation: OPERATION });
}

/** A message of the transport without its leading operation, which the caller puts back. */
function withoutOperation(message: string): string {
  return message.startsWith(`${OPERATION}: `) ? message.slice(OPERATION.length + 2) : message;
}
