// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { SseEvent } from "./sse_event.ts";
import { SseParser, type SseParserOptions } from "./sse_parser.ts";

/** The options of each `decode` but the last. */
const STREAM: TextDecodeOptions = { stream: true };

/**
 * Options of {@linkcode SseDecoderStream}.
 *
 * @example Following a msb-cloud log stream
 * ```ts
 * import type { SseDecoderStreamOptions } from "@microsandbox/edge/sse";
 *
 * const options: SseDecoderStreamOptions = {
 *   dispatchEmpty: true,
 *   onRetry: (ms) => console.log("reconnect after", ms),
 * };
 * ```
 */
export interface SseDecoderStreamOptions extends SseParserOptions {
  /** Receives each valid `retry` field, even one in an event that is not dispatched. */
  onRetry?: (ms: number) => void;
  /** Receives each comment line's text (heartbeats), one leading space removed. */
  onComment?: (text: string) => void;
}

/**
 * Turns the bytes of a `text/event-stream` response into {@linkcode SseEvent}s, following the
 * WHATWG rules, whatever the chunking. The bytes are decoded as UTF-8 with a streaming decoder, so
 * a character split between chunks decodes whole and invalid bytes become U+FFFD; then
 * `SseParser` cuts lines and events. One leading BOM is dropped. An event not terminated by a
 * blank line when the input ends is dropped. The stream errors with a `ProtocolError` when a line
 * or an event's data exceeds `maxBufferSize` (1 MiB by default).
 *
 * @example Events from a response body
 * ```ts
 * import { SseDecoderStream } from "@microsandbox/edge/sse";
 * import assert from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode("id: 7\nevent: log\ndata: hi\n\nevent: end\n\n");
 * const events = await Array.fromAsync(
 *   ReadableStream.from([bytes.subarray(0, 5), bytes.subarray(5)])
 *     .pipeThrough(new SseDecoderStream({ dispatchEmpty: true })),
 * );
 * assert.deepEqual(events, [
 *   { id: "7", event: "log", data: "hi", retry: undefined },
 *   { id: "7", event: "end", data: "", retry: undefined },
 * ]);
 * ```
 */
export class SseDecoderStream extends TransformStream<Uint8Array, SseEvent> {
  /**
   * Builds the stream.
   *
   * @param options The buffer limit, `dispatchEmpty`, and callbacks for retries and comments.
   */
  constructor(options: SseDecoderStreamOptions = {}) {
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    let parser: SseParser;
    super({
      start(controller) {
        parser = new SseParser({
          onEvent: (event) => controller.enqueue(event),
          onRetry: (ms) => options.onRetry?.(ms),
          onComment: (text) => options.onComment?.(text),
        }, options);
      },
      transform(chunk) {
        parser.feed(decoder.decode(chunk, STREAM));
      },
      flush() {
        parser.feed(decoder.decode());
        parser.end();
      },
    });
  }
}
