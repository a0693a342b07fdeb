// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { WsFrameParser } from "./_frame_parser.ts";
import { type WsEvent, WsMessageAssembler } from "./_message_assembler.ts";
import { wsMalformed } from "./_ws_error.ts";

/** The bounds of what a server may send. */
export interface WsLimits {
  /** The most payload bytes of one frame. */
  maxFrameSize: number;
  /** The most payload bytes of one message, its fragments together. */
  maxMessageSize: number;
}

/** The default bounds: 16 MiB a frame and a message. */
export const DEFAULT_WS_LIMITS: WsLimits = {
  maxFrameSize: 16 * 1024 * 1024,
  maxMessageSize: 16 * 1024 * 1024,
};

/**
 * A server's bytes → its messages and control frames: the frame parser, then the message
 * assembler. Nothing may follow a close frame, and the bytes must not end inside a frame, nor
 * inside a message without a close frame; either is a `ProtocolError`. A stream that ends
 * between messages without a close frame simply ends: the caller reports that as 1006.
 */
export class WsDecoderStream extends TransformStream<Uint8Array, WsEvent> {
  /** Builds the stream with the given bounds. */
  constructor(limits: WsLimits = DEFAULT_WS_LIMITS) {
    let closed = false;
    let inMessage = false;
    let out!: TransformStreamDefaultController<WsEvent>;
    const assembler = new WsMessageAssembler((event) => {
      if (event.type === "close") closed = true;
      out.enqueue(event);
    }, limits.maxMessageSize);
    const parser = new WsFrameParser((frame) => {
      if (closed) throw wsMalformed("a frame follows the close frame");
      if (frame.opcode < 8) inMessage = !frame.fin;
      assembler.frame(frame);
    }, limits.maxFrameSize);
    super({
      start(controller) {
        out = controller;
      },
      transform(chunk) {
        if (closed && chunk.length > 0) throw wsMalformed("bytes follow the close frame");
        parser.feed(chunk);
      },
      flush() {
        if (!parser.idle) throw wsMalformed("the stream ends inside a frame");
        if (inMessage && !closed) throw wsMalformed("the stream ends inside a message");
      },
    });
  }
}
