// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Frame } from "./frame.ts";
import { FrameDecoder, type FrameDecoderOptions } from "./frame_decoder.ts";

/**
 * Frames queue on the readable side up to 1 MiB of bytes, so that one chunk's frames pass on
 * without a wait each while the queue stays bounded in bytes.
 */
export const FRAME_QUEUE: QueuingStrategy<Frame> = {
  highWaterMark: 1024 * 1024,
  size: (frame) => frame.body.byteLength + 9,
};

/**
 * Cuts a byte stream (a WebSocket's binary messages, a socket) into {@linkcode Frame}s, whatever
 * the chunking: a frame may span chunks and a chunk may hold many frames. A frame inside one chunk
 * is handed out as a view of it. The stream errors with a `ProtocolError` on a `len` above the
 * limit or below 5 (as soon as its 4 bytes arrive) and when the input ends inside a frame.
 *
 * @example Frames from bytes
 * ```ts
 * import { FrameDecoderStream } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array([0, 0, 0, 6, 0, 0, 0, 1, 0, 0xa0, 0, 0, 0, 6, 0, 0, 0, 2, 1, 0xa0]);
 * const frames = await Array.fromAsync(
 *   ReadableStream.from([bytes.subarray(0, 3), bytes.subarray(3)])
 *     .pipeThrough(new FrameDecoderStream()),
 * );
 * assert.deepEqual(frames.map((frame) => [frame.id, frame.flags]), [[1, 0], [2, 1]]);
 * ```
 */
export class FrameDecoderStream extends TransformStream<Uint8Array, Frame> {
  /**
   * Builds the stream.
   *
   * @param options The frame size limit (`maxFrameSize`, 4 MiB by default).
   */
  constructor(options?: FrameDecoderOptions) {
    let decoder: FrameDecoder;
    super(
      {
        start(controller) {
          decoder = new FrameDecoder((frame) => controller.enqueue(frame), options);
        },
        transform(chunk) {
          decoder.feed(chunk);
        },
        flush() {
          decoder.end();
        },
      },
      undefined,
      FRAME_QUEUE,
    );
  }
}
