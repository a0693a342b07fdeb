// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ProtocolError } from "../errors.ts";
import { type Frame, FRAME_HEADER_SIZE, MAX_FRAME_SIZE } from "./frame.ts";

/**
 * Writes one frame: `[len u32 BE][id u32 BE][flags u8][body]` with `len = 5 + body.length`.
 *
 * @example A `core.exec.exited` frame
 * ```ts
 * import { encodeFrame } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodeFrame({ id: 1, flags: 1, body: new Uint8Array([0xa0]) });
 * assert.deepEqual(bytes, new Uint8Array([0, 0, 0, 6, 0, 0, 0, 1, 1, 0xa0]));
 * ```
 *
 * @param frame The id (a u32), the flags (a u8) and the body.
 * @returns A new buffer holding the whole frame.
 * @throws {ProtocolError} When `len` would exceed `MAX_FRAME_SIZE` (4 MiB), or the id or the
 * flags are out of range.
 */
export function encodeFrame(frame: Frame): Uint8Array {
  const { id, flags, body } = frame;
  const length = FRAME_HEADER_SIZE + body.length;
  if (length > MAX_FRAME_SIZE) {
    throw new ProtocolError(
      `Cannot encode frame: length ${length} exceeds the ${MAX_FRAME_SIZE}-byte limit ` +
        `(session ${id}); send the data in smaller pieces`,
    );
  }
  if (!isUint(id, 0xffff_ffff) || !isUint(flags, 0xff)) {
    throw new ProtocolError(
      `Cannot encode frame: id ${id} must be a u32 and flags ${flags} a u8`,
    );
  }
  const bytes = new Uint8Array(4 + length);
  writeU32(bytes, 0, length);
  writeU32(bytes, 4, id);
  bytes[8] = flags;
  bytes.set(body, 9);
  return bytes;
}

/**
 * Writes {@linkcode Frame}s as bytes, one chunk per frame (one WebSocket message each).
 *
 * @example Frames to bytes
 * ```ts
 * import { FrameEncoderStream } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * const chunks = await Array.fromAsync(
 *   ReadableStream.from([{ id: 7, flags: 0, body: new Uint8Array([0xa0]) }])
 *     .pipeThrough(new FrameEncoderStream()),
 * );
 * assert.deepEqual(chunks, [new Uint8Array([0, 0, 0, 6, 0, 0, 0, 7, 0, 0xa0])]);
 * ```
 */
export class FrameEncoderStream extends TransformStream<Frame, Uint8Array> {
  /** Builds the stream; it errors with a `ProtocolError` on a frame {@linkcode encodeFrame} refuses. */
  constructor() {
    super({
      transform(frame, controller) {
        controller.enqueue(encodeFrame(frame));
      },
    });
  }
}

function isUint(value: number, max: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= max;
}

function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}
