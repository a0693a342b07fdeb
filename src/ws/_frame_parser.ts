// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { isControl, isKnownOpcode, MAX_CONTROL_PAYLOAD } from "./_opcode.ts";
import type { WsFrame } from "./_ws_frame.ts";
import { CloseCode, wsMalformed } from "./_ws_error.ts";

/** The longest head of a server frame: 2 bytes, then up to 8 of length (no mask key). */
const MAX_HEAD = 10;
const FIN = 0x80;
const RSV = 0x70;
const MASK = 0x80;

/**
 * Cuts the frames a server sends (RFC 6455 §5.2) out of chunks, however they are split, and
 * checks each head as soon as it is complete: no reserved bit (no extension is negotiated), a
 * known opcode, no mask (a server never masks), the shortest length encoding, control frames
 * unfragmented and at most 125 bytes, and no payload above `maxFrameSize`. A payload that lies
 * in one chunk is handed out as a view of it; one that spans chunks is copied once into its own
 * buffer. After a `ProtocolError` the parser refuses every feed.
 */
export class WsFrameParser {
  readonly #onFrame: (frame: WsFrame) => void;
  readonly #maxFrameSize: number;
  readonly #head = new Uint8Array(MAX_HEAD);
  #headSize = 0;
  #length = -1;
  #buffer: Uint8Array | undefined;
  #filled = 0;
  #failed = false;

  /** Builds a parser that hands each frame to `onFrame`. */
  constructor(onFrame: (frame: WsFrame) => void, maxFrameSize: number) {
    this.#onFrame = onFrame;
    this.#maxFrameSize = maxFrameSize;
  }

  /** Whether the bytes fed so far end on a frame boundary. */
  get idle(): boolean {
    return this.#headSize === 0;
  }

  /** Reads `chunk`; throws a `ProtocolError` (with its close code) on a frame that breaks the rules. */
  feed(chunk: Uint8Array): void {
    if (this.#failed) throw wsMalformed("the stream already failed");
    try {
      this.#feed(chunk);
    } catch (error) {
      this.#failed = true;
      throw error;
    }
  }

  #feed(chunk: Uint8Array): void {
    let at = 0;
    for (;;) {
      if (this.#length === -1) {
        at = this.#readHead(chunk, at);
        if (this.#length === -1) return;
      }
      const missing = this.#length - this.#filled;
      if (this.#buffer === undefined && chunk.length - at >= missing) {
        this.#emit(chunk.subarray(at, at + missing));
        at += missing;
        continue;
      }
      if (at === chunk.length) return;
      this.#buffer ??= new Uint8Array(this.#length);
      const take = Math.min(missing, chunk.length - at);
      this.#buffer.set(chunk.subarray(at, at + take), this.#filled);
      this.#filled += take;
      at += take;
      if (this.#filled < this.#length) return;
      this.#emit(this.#buffer);
    }
  }

  /** Copies head bytes from `chunk` at `at`; sets the payload length once the head is whole. */
  #readHead(chunk: Uint8Array, from: number): number {
    let at = from;
    while (at < chunk.length) {
      this.#head[this.#headSize++] = chunk[at++]!;
      if (this.#headSize === 2) this.#checkStart();
      if (this.#headSize === headSize(this.#head[1]!)) {
        this.#length = this.#payloadLength();
        return at;
      }
    }
    return at;
  }

  /** Checks the first two bytes: bits, opcode, mask, and what a control frame may be. */
  #checkStart(): void {
    const [first, second] = [this.#head[0]!, this.#head[1]!];
    const opcode = first & 0x0f;
    if ((first & RSV) !== 0) throw wsMalformed("a frame sets a reserved bit");
    if (!isKnownOpcode(opcode)) throw wsMalformed(`a frame has the reserved opcode ${opcode}`);
    if ((second & MASK) !== 0) throw wsMalformed("the server masked a frame");
    if (!isControl(opcode)) return;
    if ((first & FIN) === 0) throw wsMalformed("a control frame is fragmented");
    if ((second & 0x7f) > MAX_CONTROL_PAYLOAD) {
      throw wsMalformed(`a control frame is longer than ${MAX_CONTROL_PAYLOAD} bytes`);
    }
  }

  /** The length the whole head gives, checked against its shortest form and the bound. */
  #payloadLength(): number {
    const short = this.#head[1]! & 0x7f;
    const view = new DataView(this.#head.buffer);
    let length = short;
    if (short === 126) length = view.getUint16(2);
    if (short === 127) {
      const high = view.getUint32(2);
      if (high >= 0x80000000) throw wsMalformed("a frame length sets its top bit");
      length = high * 2 ** 32 + view.getUint32(6);
    }
    if ((short === 126 && length < 126) || (short === 127 && length <= 0xffff)) {
      throw wsMalformed("a frame length is not in its shortest form");
    }
    if (length > this.#maxFrameSize) {
      throw wsMalformed(`a frame is longer than ${this.#maxFrameSize} bytes`, CloseCode.TooBig);
    }
    return length;
  }

  #emit(payload: Uint8Array): void {
    const first = this.#head[0]!;
    this.#headSize = 0;
    this.#length = -1;
    this.#buffer = undefined;
    this.#filled = 0;
    this.#onFrame({ fin: (first & FIN) !== 0, opcode: first & 0x0f, payload });
  }
}

/** The size of a head whose second byte is `second` (no mask key: server frames have none). */
function headSize(second: number): number {
  const short = second & 0x7f;
  return short === 126 ? 4 : short === 127 ? 10 : 2;
}
