// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The agent relay's handshake: the preface `[id_min u32][id_max u32]` (or the legacy `[offset u32]`)
// and the `core.ready` frame after it, read as the bytes arrive.

import { concatBytes } from "../_concat.ts";
import { ProtocolError } from "../errors.ts";
import {
  type DecodedMessage,
  decodeMessage,
  type Frame,
  FrameDecoder,
  MAX_FRAME_SIZE,
  PROTOCOL_VERSION,
} from "../protocol/mod.ts";

/** What the relay granted. */
export interface Handshake {
  /** The first usable id (never 0). */
  idStart: number;
  /** One past the last usable id. */
  idEnd: number;
  /** The protocol generation both sides speak. */
  generation: number;
}

const LEGACY_ID_SPAN = Math.floor(0xffff_ffff / 16);

/** What the handshake read: the grant, and the bytes after it (the first frames of sessions). */
export interface HandshakeResult {
  handshake: Handshake;
  rest: Uint8Array;
}

/** Reads the preface and the `core.ready` frame as they arrive; one per socket. */
export class RelayHandshake {
  #bytes: Uint8Array = new Uint8Array(0);
  #done = false;

  /**
   * Takes the socket's next bytes.
   *
   * @param chunk The next bytes of the socket.
   * @returns The grant and the bytes after `core.ready` once both are in, else `undefined`.
   * @throws {ProtocolError} When the first frame is not `core.ready`, is malformed, or the range
   * is empty.
   */
  feed(chunk: Uint8Array): HandshakeResult | undefined {
    if (this.#done) throw new TypeError("RelayHandshake.feed after the handshake");
    this.#bytes = concatBytes([this.#bytes, chunk]);
    const bytes = this.#bytes;
    if (bytes.byteLength < 8) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const first = view.getUint32(0);
    const second = view.getUint32(4);
    // The legacy preface is one word; its second word is then the length of core.ready's frame.
    const legacy = second >= 5 && second <= MAX_FRAME_SIZE && (first === 0 || first >= second);
    const at = legacy ? 4 : 8;
    if (bytes.byteLength < at + 4) return undefined;
    const length = view.getUint32(at);
    if (length > MAX_FRAME_SIZE) {
      throw new ProtocolError(
        `cloud sandbox agent: the handshake's first frame declares ${length} bytes`,
      );
    }
    const end = at + 4 + length;
    if (bytes.byteLength < end) return undefined;
    this.#done = true;
    const ready = decodeMessage(onlyFrame(bytes.subarray(at, end)));
    return { handshake: grant(first, second, legacy, ready), rest: bytes.subarray(end) };
  }
}

function onlyFrame(bytes: Uint8Array): Frame {
  const frames: Frame[] = [];
  new FrameDecoder((frame) => frames.push(frame)).feed(bytes);
  return frames[0]!;
}

function grant(first: number, second: number, legacy: boolean, ready: DecodedMessage): Handshake {
  if (ready.type !== "core.ready") {
    throw new ProtocolError(
      `cloud sandbox agent: the handshake sent ${ready.type} instead of core.ready`,
    );
  }
  if (legacy) {
    return { idStart: first + 1, idEnd: Math.min(first + LEGACY_ID_SPAN, 2 ** 32), generation: 1 };
  }
  const idStart = Math.max(first, 1);
  if (first >= second || idStart >= second) {
    throw new ProtocolError(
      `cloud sandbox agent: the handshake granted no usable id in [${first}, ${second})`,
    );
  }
  return { idStart, idEnd: second, generation: Math.min(PROTOCOL_VERSION, ready.version) };
}
