// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { heartbeatBody, streamingResponse } from "../http/_heartbeat_body.ts";
import { toSseResponse } from "../http/to_sse_response.ts";
import type { SseEvent } from "../sse/sse_event.ts";

/** How a client asked a streaming route to answer. */
export type StreamFormat = "sse" | "ndjson";

/** The format `Accept` asks for: SSE, NDJSON, or `fallback`. */
export function acceptedFormat<F extends string>(
  request: Request,
  fallback: F,
): StreamFormat | F {
  const accept = request.headers.get("accept") ?? "";
  if (accept.includes("text/event-stream")) return "sse";
  if (accept.includes("application/x-ndjson")) return "ndjson";
  return fallback;
}

/**
 * Streams objects as NDJSON (one per line, an empty line as heartbeat), or as SSE events whose
 * type `eventOf` gives; the source is cancelled when the client goes away.
 */
export function streamResponse<T>(
  items: ReadableStream<T>,
  format: StreamFormat,
  eventOf: (item: T) => { event: string; data: unknown },
  signal: AbortSignal,
): Response {
  if (format === "sse") {
    const events = items.pipeThrough(
      new TransformStream<T, SseEvent>({
        transform(item, controller) {
          const { event, data } = eventOf(item);
          controller.enqueue({
            id: undefined,
            event,
            data: JSON.stringify(data),
            retry: undefined,
          });
        },
      }),
    );
    return toSseResponse(events, { signal });
  }
  const body = heartbeatBody(items, {
    encode: (item) => JSON.stringify(item) + "\n",
    heartbeat: "\n",
  }, { signal });
  return streamingResponse(body, "application/x-ndjson; charset=utf-8", { signal });
}
