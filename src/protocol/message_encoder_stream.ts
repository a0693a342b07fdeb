// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Frame } from "./frame.ts";
import { encodeMessage, type Message } from "./message.ts";

/**
 * Encodes messages into {@linkcode Frame}s with {@linkcode encodeMessage}, keeping each message's
 * own `flags` and `version` (use `flagsOf(type)` for the flags the agent expects). A payload that
 * does not fit its type errors the stream with a `ProtocolError`.
 *
 * @example Messages to bytes
 * ```ts
 * import {
 *   FLAG_TERMINAL,
 *   FrameEncoderStream,
 *   type Message,
 *   MessageEncoderStream,
 * } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * const exited: Message = {
 *   id: 1, flags: FLAG_TERMINAL, version: 5, type: "core.exec.exited", payload: { code: 0 },
 * };
 * const [bytes] = await Array.fromAsync(
 *   ReadableStream.from([exited])
 *     .pipeThrough(new MessageEncoderStream())
 *     .pipeThrough(new FrameEncoderStream()),
 * );
 * assert.equal(bytes?.length, 42); // protocol.md §5.8 example D
 * ```
 */
export class MessageEncoderStream extends TransformStream<Message, Frame> {
  /** Builds the stream. */
  constructor() {
    super({
      transform(message, controller) {
        const frame = encodeMessage(message.id, message.type, message.payload, message.version);
        controller.enqueue({ id: frame.id, flags: message.flags, body: frame.body });
      },
    });
  }
}
