// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { SseComment, SseEventInit } from "./sse_event.ts";

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * The `text/event-stream` text of one event (ending with its blank line) or of a comment.
 *
 * Multi-line data becomes one `data` line per line (CR, LF and CRLF all split); `event` is left
 * out when it is `"message"`, the default. Decoding the text gives the event back.
 *
 * @param event The event, or a comment.
 * @returns The text to send.
 * @throws {TypeError} When `id` or `event` holds a line break (or `id` a NUL), or `retry` is not
 * a non-negative integer.
 *
 * @example An event with two lines of data
 * ```ts
 * import { encodeSseEvent } from "@microsandbox/edge/sse";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   encodeSseEvent({ id: "1", event: "log", data: "a\nb" }),
 *   "id: 1\nevent: log\ndata: a\ndata: b\n\n",
 * );
 * assert.equal(encodeSseEvent({ comment: "ping" }), ": ping\n");
 * ```
 */
export function encodeSseEvent(event: SseEventInit | SseComment): string {
  if ("comment" in event) return lines(":", event.comment);
  let text = "";
  if (event.id !== undefined) {
    if (/[\r\n\0]/.test(event.id)) {
      throw new TypeError("Cannot encode SSE event: id must not contain CR, LF or NUL");
    }
    text += field("id", event.id);
  }
  if (event.event !== undefined && event.event !== "message") {
    if (/[\r\n]/.test(event.event)) {
      throw new TypeError("Cannot encode SSE event: event must not contain CR or LF");
    }
    text += field("event", event.event);
  }
  if (event.retry !== undefined) {
    if (!Number.isSafeInteger(event.retry) || event.retry < 0) {
      throw new TypeError(
        `Cannot encode SSE event: retry must be a non-negative integer, got ${event.retry}`,
      );
    }
    text += field("retry", String(event.retry));
  }
  if (event.data !== undefined) text += lines("data", event.data);
  return text + "\n";
}

/** One `name: value` line; `name:` alone for an empty value. */
function field(name: string, value: string): string {
  return value === "" ? `${name}:\n` : `${name}: ${value}\n`;
}

/** One line of field `name` per line of `value`; a comment when `name` is `:`. */
function lines(name: string, value: string): string {
  const prefix = name === ":" ? "" : name;
  return value.split(LINE_BREAK).map((line) => field(prefix, line)).join("");
}

/**
 * Turns {@linkcode SseEventInit}s and {@linkcode SseComment}s into the UTF-8 bytes of a
 * `text/event-stream`, one chunk per event, for a `Response` body. Errors with a `TypeError` on an
 * event that cannot be written (see {@linkcode encodeSseEvent}).
 *
 * @example A response that streams events
 * ```ts
 * import { SseDecoderStream, SseEncoderStream } from "@microsandbox/edge/sse";
 * import assert from "node:assert/strict";
 *
 * const body = ReadableStream.from([{ comment: "hi" }, { id: "1", data: "a\nb" }])
 *   .pipeThrough(new SseEncoderStream());
 * const response = new Response(body, { headers: { "content-type": "text/event-stream" } });
 * const events = await Array.fromAsync(response.body!.pipeThrough(new SseDecoderStream()));
 * assert.deepEqual(events, [{ id: "1", event: "message", data: "a\nb", retry: undefined }]);
 * ```
 */
export class SseEncoderStream extends TransformStream<SseEventInit | SseComment, Uint8Array> {
  /** Builds the stream. */
  constructor() {
    const encoder = new TextEncoder();
    super({
      transform(event, controller) {
        controller.enqueue(encoder.encode(encodeSseEvent(event)));
      },
    });
  }
}
