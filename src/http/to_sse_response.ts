// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { LogEntry } from "../logs/log_entry.ts";
import { encodeSseEvent } from "../sse/sse_encoder_stream.ts";
import type { SseEvent } from "../sse/sse_event.ts";
import { heartbeatBody, streamingResponse, type StreamResponseOptions } from "./_heartbeat_body.ts";

/**
 * Serves a log (or any SSE event) stream as `text/event-stream`: each entry is an `event: log`
 * whose `id` is its cursor, so a browser's `EventSource` resumes with `Last-Event-ID` on its own;
 * heartbeat comments keep idle proxies from cutting it; the source is cancelled when the client
 * goes away.
 *
 * @param stream Log entries, or SSE events to pass on.
 * @param options Heartbeat interval, an abort signal, extra headers.
 * @returns The response.
 *
 * @example In a fetch handler
 * ```ts ignore
 * import { Microsandbox, resumeCursor, toSseResponse } from "@microsandbox/edge";
 *
 * export default {
 *   async fetch(request: Request, env: Record<string, string>): Promise<Response> {
 *     const sandbox = await Microsandbox.fromEnv(env).sandboxes.get("build-42");
 *     const logs = sandbox.logs({ cursor: resumeCursor(request), signal: request.signal });
 *     return toSseResponse(logs, { signal: request.signal });
 *   },
 * };
 * ```
 */
export function toSseResponse(
  stream: ReadableStream<LogEntry> | ReadableStream<SseEvent>,
  options: StreamResponseOptions = {},
): Response {
  const body = heartbeatBody<LogEntry | SseEvent>(stream as ReadableStream<LogEntry | SseEvent>, {
    encode: (item) => encodeSseEvent(item instanceof LogEntry ? logEvent(item) : item),
    heartbeat: ": heartbeat\n\n",
  }, options);
  return streamingResponse(body, "text/event-stream; charset=utf-8", options);
}

/** The event of one log entry: the wire's own shape, `id` = its cursor. */
export function logEvent(entry: LogEntry): SseEvent {
  return {
    id: entry.cursor.toString(),
    event: "log",
    data: JSON.stringify(logJson(entry)),
    retry: undefined,
  };
}

/** The JSON of one entry, as msb-cloud writes it (`session_id` when known). */
export function logJson(entry: LogEntry): Record<string, unknown> {
  const json: Record<string, unknown> = {
    source: entry.source,
    ts: entry.timestamp.toISOString(),
    text: entry.text(),
  };
  if (entry.sessionId !== undefined) json.session_id = entry.sessionId;
  return json;
}
