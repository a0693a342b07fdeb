// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ProtocolError } from "../errors.ts";
import { type Frame, FRAME_HEADER_SIZE, MAX_FRAME_SIZE } from "./frame.ts";

/** Bytes of the `len` prefix. */
const LENGTH_SIZE = 4;
/** Bytes from the start of a frame to its body: `len`, id and flags. */
const BODY_OFFSET = LENGTH_SIZE + FRAME_HEADER_SIZE;

/**
 * Options of {@linkcode FrameDecoder} and `FrameDecoderStream`.
 *
 * @example A tighter limit
 * ```ts
 * import { FrameDecoder, type FrameDecoderOptions } from "@microsandbox/edge/protocol";
 *
 * const options: FrameDecoderOptions = { maxFrameSize: 64 * 1024 };
 * new FrameDecoder(() => {}, options);
 * ```
 */
export interface FrameDecoderOptions {
  /** The largest `len` accepted, at least 5; `MAX_FRAME_SIZE` (4 MiB) by default. */
  maxFrameSize?: number;
}

/**
 * The push parser that cuts a byte stream into {@linkcode Frame}s, however the bytes are split.
 *
 * A frame that lies inside one fed chunk is handed out with a `body` that is a `subarray` view of
 * that chunk (no copy); only a frame that spans chunks is copied, once, when its last byte arrives.
 * Until then the decoder keeps views of the unconsumed chunks, so a chunk's memory must not be
 * reused after it is fed. It holds at most one incomplete frame, so {@linkcode FrameDecoder.pending}
 * stays below 4 + `maxFrameSize` bytes. A `len` above the limit or below 5 is refused as soon as
 * its 4 bytes are in, before any of the body is buffered; after that error the decoder refuses
 * every feed until {@linkcode FrameDecoder.prototype.reset}.
 *
 * @example Frames split across chunks
 * ```ts
 * import { type Frame, FrameDecoder } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * const frames: Frame[] = [];
 * const decoder = new FrameDecoder((frame) => frames.push(frame));
 * decoder.feed(new Uint8Array([0, 0, 0, 6, 0, 0, 0, 1, 0]));
 * assert.equal(decoder.pending, 9);
 * decoder.feed(new Uint8Array([0xa0]));
 * decoder.end();
 * assert.deepEqual(frames, [{ id: 1, flags: 0, body: new Uint8Array([0xa0]) }]);
 * ```
 */
export class FrameDecoder {
  readonly #onFrame: (frame: Frame) => void;
  readonly #maxFrameSize: number;
  /** Unconsumed chunks (views); the first starts at a frame boundary. */
  #tail: Uint8Array[] = [];
  #tailBytes = 0;
  /** The `len` of the frame at the head of the tail, or -1 while its 4 bytes are not all in. */
  #tailLength = -1;
  /** Stream offset of the first byte not yet handed out (the start of the next frame). */
  #offset = 0;
  /** The error that stopped the decoder (a bad length, or a throw from `onFrame`). */
  #failure: unknown;

  /**
   * Builds a decoder that calls `onFrame` for every complete frame, in order.
   *
   * @param onFrame Receives each frame. If it throws, the error propagates out of
   * {@linkcode FrameDecoder.prototype.feed} and the decoder refuses every feed until reset.
   * @param options The frame size limit.
   */
  constructor(onFrame: (frame: Frame) => void, options: FrameDecoderOptions = {}) {
    const maxFrameSize = options.maxFrameSize ?? MAX_FRAME_SIZE;
    if (!Number.isInteger(maxFrameSize) || maxFrameSize < FRAME_HEADER_SIZE) {
      throw new RangeError(`maxFrameSize must be an integer of at least 5, got ${maxFrameSize}`);
    }
    this.#onFrame = onFrame;
    this.#maxFrameSize = maxFrameSize;
  }

  /**
   * Bytes held for a frame that is not complete yet.
   *
   * @returns The count of buffered bytes, 0 at a frame boundary.
   */
  get pending(): number {
    return this.#tailBytes;
  }

  /**
   * Parses the next bytes of the stream, calling `onFrame` for each frame they complete.
   *
   * @param chunk The next bytes; the decoder may keep a view of them.
   * @throws {ProtocolError} When a frame declares a length above the limit or below 5; from then
   * on, until {@linkcode FrameDecoder.prototype.reset}.
   */
  feed(chunk: Uint8Array): void {
    if (this.#failure !== undefined) throw this.#failure;
    let start = 0;
    if (this.#tailBytes > 0) {
      start = this.#continueTail(chunk);
      if (start < 0) return;
    }
    this.#scan(chunk, start);
  }

  /**
   * Declares the end of the stream.
   *
   * @throws {ProtocolError} When the stream ended inside a frame (a truncated frame); the
   * decoder is reset.
   */
  end(): void {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#tailBytes === 0) return;
    const expected = this.#tailLength < 0 ? "" : ` of ${LENGTH_SIZE + this.#tailLength}`;
    const error = new ProtocolError(
      `Cannot decode frame: the stream ended inside a truncated frame (${this.#tailBytes}` +
        `${expected} bytes at byte ${this.#offset} of the stream)`,
    );
    this.reset();
    throw error;
  }

  /** Drops any buffered bytes and a previous error, and starts again at stream offset 0. */
  reset(): void {
    this.#tail = [];
    this.#tailBytes = 0;
    this.#tailLength = -1;
    this.#offset = 0;
    this.#failure = undefined;
  }

  /** The fast path: frames wholly inside `chunk` become views; the rest becomes the tail. */
  #scan(chunk: Uint8Array, start: number): void {
    const end = chunk.length;
    let at = start;
    while (end - at >= LENGTH_SIZE) {
      const length = readU32(chunk, at);
      this.#check(length);
      const frameEnd = at + LENGTH_SIZE + length;
      if (frameEnd > end) break;
      const frame = {
        id: readU32(chunk, at + LENGTH_SIZE),
        flags: chunk[at + 8]!,
        body: chunk.subarray(at + BODY_OFFSET, frameEnd),
      };
      this.#offset += frameEnd - at;
      at = frameEnd;
      this.#emit(frame);
    }
    if (at < end) {
      this.#tail.push(at === 0 ? chunk : chunk.subarray(at));
      this.#tailBytes = end - at;
      this.#tailLength = end - at >= LENGTH_SIZE ? readU32(chunk, at) : -1;
    }
  }

  /** Hands out a frame; a throw from `onFrame` stops the decoder, as the rest is unaligned. */
  #emit(frame: Frame): void {
    try {
      this.#onFrame(frame);
    } catch (error) {
      this.#failure = error;
      throw error;
    }
  }

  /**
   * Adds `chunk` to the pending frame. Returns how many of its bytes completed that frame, or -1
   * when the whole chunk went into the tail.
   */
  #continueTail(chunk: Uint8Array): number {
    const available = this.#tailBytes + chunk.length;
    if (this.#tailLength < 0 && available >= LENGTH_SIZE) {
      this.#tailLength = this.#peekLength(chunk);
      this.#check(this.#tailLength);
    }
    const frameSize = LENGTH_SIZE + this.#tailLength;
    if (this.#tailLength < 0 || available < frameSize) {
      if (chunk.length > 0) this.#tail.push(chunk);
      this.#tailBytes = available;
      return -1;
    }
    const used = frameSize - this.#tailBytes;
    const bytes = new Uint8Array(frameSize);
    let at = 0;
    for (const part of this.#tail) {
      bytes.set(part, at);
      at += part.length;
    }
    bytes.set(chunk.subarray(0, used), at);
    this.#tail = [];
    this.#tailBytes = 0;
    this.#tailLength = -1;
    this.#offset += frameSize;
    const frame = {
      id: readU32(bytes, LENGTH_SIZE),
      flags: bytes[8]!,
      body: bytes.subarray(BODY_OFFSET),
    };
    this.#emit(frame);
    return used;
  }

  /** Reads `len` from the first 4 bytes of the tail followed by `extra`. */
  #peekLength(extra: Uint8Array): number {
    let length = 0;
    let read = 0;
    for (let part = 0; read < LENGTH_SIZE && part <= this.#tail.length; part++) {
      const bytes = part < this.#tail.length ? this.#tail[part]! : extra;
      for (let i = 0; i < bytes.length && read < LENGTH_SIZE; i++, read++) {
        length = length * 256 + bytes[i]!;
      }
    }
    return length;
  }

  /** Refuses a `len` outside 5 ..= the limit, naming where the frame starts. */
  #check(length: number): void {
    if (length >= FRAME_HEADER_SIZE && length <= this.#maxFrameSize) return;
    const problem = length < FRAME_HEADER_SIZE
      ? `is below the ${FRAME_HEADER_SIZE}-byte header`
      : `exceeds the ${this.#maxFrameSize}-byte limit`;
    this.#failure = new ProtocolError(
      `Cannot decode frame: length ${length} ${problem} (at byte ${this.#offset} of the stream)`,
    );
    throw this.#failure;
  }
}

/** The big-endian u32 at `at`. */
function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! * 0x1000000) +
    ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
}
