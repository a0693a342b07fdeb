// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import {
  type DecodedMessage,
  decodeMessage,
  FLAG_TERMINAL,
  FrameDecoder,
} from "../protocol/mod.ts";

/**
 * Bytes of a session's own socket → its messages, up to and including the first terminal one,
 * in a single stream hop: exec output arrives as one frame per chunk, so each extra hop would
 * cost as much as decoding (see bench/protocol_decode_bench.ts).
 */
export class SessionMessageStream extends TransformStream<Uint8Array, DecodedMessage> {
  constructor() {
    let controller!: TransformStreamDefaultController<DecodedMessage>;
    let ended = false;
    const decoder = new FrameDecoder((frame) => {
      if (ended) return;
      controller.enqueue(decodeMessage(frame));
      if (frame.flags & FLAG_TERMINAL) {
        ended = true;
        controller.terminate();
      }
    });
    super({
      start(c) {
        controller = c;
      },
      transform(chunk) {
        decoder.feed(chunk);
      },
      flush() {
        decoder.end();
      },
    });
  }
}
