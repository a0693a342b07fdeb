// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Frame } from "./frame.ts";
import { FRAME_QUEUE } from "./frame_decoder_stream.ts";
import { type DecodedMessage, decodeMessage } from "./message.ts";

/** Messages queued on the readable side, so that a burst passes without a wait per item. */
const MESSAGE_QUEUE = 16;

/**
 * Decodes {@linkcode Frame}s into typed messages with {@linkcode decodeMessage}. Unknown types
 * pass as `UnknownMessage`s; a malformed frame errors the stream with a `ProtocolError`.
 *
 * @example Bytes to messages
 * ```ts
 * import {
 *   encodeFrame,
 *   encodeMessage,
 *   FrameDecoderStream,
 *   MessageDecoderStream,
 * } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodeFrame(encodeMessage(1, "core.exec.exited", { code: 0 }));
 * const messages = await Array.fromAsync(
 *   ReadableStream.from([bytes])
 *     .pipeThrough(new FrameDecoderStream())
 *     .pipeThrough(new MessageDecoderStream()),
 * );
 * assert.deepEqual(messages.map((message) => message.type), ["core.exec.exited"]);
 * ```
 */
export class MessageDecoderStream extends TransformStream<Frame, DecodedMessage> {
  /** Builds the stream. */
  constructor() {
    super(
      {
        transform(frame, controller) {
          controller.enqueue(decodeMessage(frame));
        },
      },
      FRAME_QUEUE,
      { highWaterMark: MESSAGE_QUEUE },
    );
  }
}
