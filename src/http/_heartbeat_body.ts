// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/** How items become bytes, and what to send while none comes. */
export interface BodyFormat<T> {
  encode(item: T): string;
  /** The bytes sent after `heartbeat` ms of silence. */
  heartbeat: string;
}

/**
 * Options shared by the response helpers.
 *
 * @example A heartbeat and extra headers
 * ```ts
 * import {
 *   LogCursor,
 *   LogEntry,
 *   type StreamResponseOptions,
 *   toNdjsonResponse,
 * } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const entry = new LogEntry({
 *   timestamp: new Date("2026-11-28T10:00:00Z"),
 *   source: "stdout",
 *   sessionId: undefined,
 *   text: "hi\n",
 *   cursor: LogCursor.EMPTY,
 * });
 * const options: StreamResponseOptions = {
 *   heartbeat: 20_000, // a blank line after 20 s of silence instead of the default 5 s
 *   headers: { "access-control-allow-origin": "*" },
 * };
 * const response = toNdjsonResponse(ReadableStream.from([entry]), options);
 * assert.equal(response.headers.get("access-control-allow-origin"), "*");
 * assert.equal(response.headers.get("content-type"), "application/x-ndjson; charset=utf-8");
 * assert.equal((await response.text()).split("\n").length, 2);
 * ```
 */
export interface StreamResponseOptions {
  /**
   * Milliseconds of silence after which a heartbeat is sent, so idle proxies and servers keep the
   * stream (Bun closes a request idle for 10 s); 0 for none.
   * @default {5000}
   */
  heartbeat?: number | undefined;
  /** Ends the response (and cancels the source) when it aborts, such as `request.signal`. */
  signal?: AbortSignal | undefined;
  /** Extra response headers. */
  headers?: HeadersInit | undefined;
  /**
   * The response status.
   * @default {200}
   */
  status?: number | undefined;
}

const encoder = new TextEncoder();

/** The default heartbeat: well under Bun's default idle timeout of 10 s. */
const DEFAULT_HEARTBEAT_MS = 5_000;

/**
 * A response body that pulls `source` as the client reads, sends heartbeats while it is idle, and
 * cancels `source` when the client goes away or `signal` aborts.
 */
export function heartbeatBody<T>(
  source: ReadableStream<T>,
  format: BodyFormat<T>,
  options: StreamResponseOptions,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const every = options.heartbeat ?? DEFAULT_HEARTBEAT_MS;
  let pending: Promise<ReadableStreamReadResult<T>> | undefined;
  const onAbort = () => reader.cancel(options.signal?.reason).catch(() => {});
  options.signal?.addEventListener("abort", onAbort, { once: true });
  // A listener added to a signal that has already aborted never runs.
  if (options.signal?.aborted) onAbort();
  const stop = () => options.signal?.removeEventListener("abort", onAbort);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      pending ??= reader.read();
      const result = await race(pending, every);
      if (result === "idle") return controller.enqueue(encoder.encode(format.heartbeat));
      pending = undefined;
      if (result.done) {
        stop();
        return controller.close();
      }
      controller.enqueue(encoder.encode(format.encode(result.value)));
    },
    cancel(reason) {
      stop();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

async function race<T>(read: Promise<T>, ms: number): Promise<T | "idle"> {
  if (ms <= 0) return await read;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<"idle">((resolve) => timer = setTimeout(() => resolve("idle"), ms));
  try {
    return await Promise.race([read, idle]);
  } finally {
    clearTimeout(timer);
  }
}

/** A streaming response of `body` with `contentType` and the headers proxies need to pass it on. */
export function streamingResponse(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  options: StreamResponseOptions,
): Response {
  const headers = new Headers(options.headers);
  headers.set("content-type", contentType);
  headers.set("cache-control", "no-cache");
  headers.set("x-accel-buffering", "no");
  return new Response(body, { status: options.status ?? 200, headers });
}
