// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { LogEntry } from "../logs/log_entry.ts";
import type { SseEvent } from "../sse/sse_event.ts";
import { heartbeatBody, streamingResponse, type StreamResponseOptions } from "./_heartbeat_body.ts";
import { logJson } from "./to_sse_response.ts";

/**
 * Serves a log (or SSE event) stream as `application/x-ndjson`: one JSON object per line (an
 * entry's fields plus its `cursor`), an empty line as heartbeat, the source cancelled when the
 * client goes away.
 *
 * @param stream Log entries, or SSE events.
 * @param options Heartbeat interval, an abort signal, extra headers.
 * @returns The response.
 *
 * @example Usage
 * ```ts
 * import { LogCursor, LogEntry, toNdjsonResponse } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const entry = new LogEntry({
 *   timestamp: new Date("2026-11-28T10:00:00Z"),
 *   source: "stdout",
 *   sessionId: undefined,
 *   data: new TextEncoder().encode("hi\n"),
 *   cursor: LogCursor.EMPTY,
 * });
 * const response = toNdjsonResponse(ReadableStream.from([entry]));
 * assert.equal(
 *   await response.text(),
 *   '{"source":"stdout","ts":"2026-11-28T10:00:00.000Z","text":"hi\\n","cursor":"AA=="}\n',
 * );
 * ```
 */
export function toNdjsonResponse(
  stream: ReadableStream<LogEntry> | ReadableStream<SseEvent>,
  options: StreamResponseOptions = {},
): Response {
  const body = heartbeatBody<LogEntry | SseEvent>(stream as ReadableStream<LogEntry | SseEvent>, {
    encode: (item) =>
      JSON.stringify(
        item instanceof LogEntry ? { ...logJson(item), cursor: item.cursor.toString() } : item,
      ) +
      "\n",
    heartbeat: "\n",
  }, options);
  return streamingResponse(body, "application/x-ndjson; charset=utf-8", options);
}
