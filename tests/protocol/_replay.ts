// Replays byte fixtures through the decoder streams the way a socket would deliver them: in
// chunks of every size from 1 byte up, each chunk its own buffer (like a WebSocket message).
import type { DecodedMessage, Frame, FrameDecoderOptions } from "../../src/protocol/mod.ts";
import { FrameDecoderStream, MessageDecoderStream } from "../../src/protocol/mod.ts";
import { concatBytes as concat } from "../../src/_concat.ts";
import { rechunk } from "../_chunks.ts";

export { atEveryChunkSize, CHUNK_SIZES, rechunk } from "../_chunks.ts";

/** The frames `FrameDecoderStream` yields for `bytes` fed in chunks of `size`. */
export function replayFrames(
  bytes: Uint8Array,
  size: number,
  options?: FrameDecoderOptions,
): Promise<Frame[]> {
  return Array.fromAsync(
    ReadableStream.from(rechunk(bytes, size)).pipeThrough(new FrameDecoderStream(options)),
  );
}

/** The messages `FrameDecoderStream` + `MessageDecoderStream` yield for `bytes` in chunks of `size`. */
export function replayMessages(bytes: Uint8Array, size: number): Promise<DecodedMessage[]> {
  return Array.fromAsync(
    ReadableStream.from(rechunk(bytes, size))
      .pipeThrough(new FrameDecoderStream())
      .pipeThrough(new MessageDecoderStream()),
  );
}

/** The bytes of a hex dump such as `"00 00 00 61"`; whitespace is ignored. */
export function hex(dump: string): Uint8Array {
  const digits = dump.replace(/\s+/g, "");
  return Uint8Array.from(
    { length: digits.length / 2 },
    (_, i) => parseInt(digits.slice(i * 2, i * 2 + 2), 16),
  );
}

/** The hex dump of `bytes`, for readable failures. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join(" ");
}

/** The hex dump of an ASCII string. */
export function ascii(text: string): string {
  return toHex(new TextEncoder().encode(text));
}

/** A frame body `{v, t, p}` in the canonical layout, around an already encoded payload. */
export function envelopeOf(type: string, payload: Uint8Array, version = 7): Uint8Array {
  const name = new TextEncoder().encode(type);
  const length = payload.length;
  const head = length < 24
    ? [0x40 | length]
    : length < 256
    ? [0x58, length]
    : [0x59, length >> 8, length & 0xff];
  return concat([
    Uint8Array.of(0xa3, 0x61, 0x76, version, 0x61, 0x74, 0x60 | name.length),
    name,
    Uint8Array.of(0x61, 0x70, ...head),
    payload,
  ]);
}

/** One buffer holding every part in order. */
export { concat };
