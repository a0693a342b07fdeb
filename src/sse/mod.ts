// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * Server-sent events (`text/event-stream`) as Web Streams, following the WHATWG rules exactly.
 * Pure and runtime neutral: no I/O, Web APIs only.
 *
 * {@linkcode SseDecoderStream} turns the bytes of a response body into {@linkcode SseEvent}s,
 * whatever the chunking, in linear time and with a bounded buffer; {@linkcode SseParser} is its
 * push-parser core, for text. {@linkcode SseEncoderStream} and {@linkcode encodeSseEvent} write
 * events back. msb-cloud ends a log stream with `event: end` and no data, which the WHATWG rules
 * drop: pass `dispatchEmpty: true` to receive it.
 *
 * ```ts
 * import { SseDecoderStream, SseEncoderStream } from "@microsandbox/edge/sse";
 * import assert from "node:assert/strict";
 *
 * const body = ReadableStream.from([
 *   { id: "c1", event: "log", data: '{"source":"stdout","text":"hi"}' },
 *   { comment: "heartbeat" },
 *   { event: "end" },
 * ]).pipeThrough(new SseEncoderStream());
 *
 * const seen: string[] = [];
 * for await (const event of body.pipeThrough(new SseDecoderStream({ dispatchEmpty: true }))) {
 *   if (event.event === "end") break;
 *   seen.push(`${event.id} ${JSON.parse(event.data).text}`);
 * }
 * assert.deepEqual(seen, ["c1 hi"]);
 * ```
 *
 * @module
 */

export type { SseComment, SseEvent, SseEventInit } from "./sse_event.ts";
export {
  DEFAULT_SSE_MAX_BUFFER_SIZE,
  SseParser,
  type SseParserCallbacks,
  type SseParserOptions,
} from "./sse_parser.ts";
export { SseDecoderStream, type SseDecoderStreamOptions } from "./sse_decoder_stream.ts";
export { encodeSseEvent, SseEncoderStream } from "./sse_encoder_stream.ts";
