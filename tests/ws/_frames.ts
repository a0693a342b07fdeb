// Hand-made server frames for the WebSocket decoder tests: any bits, opcode, mask and length
// encoding, so malformed frames are as easy to write as valid ones.

/** How to write one frame; every field defaults to a valid unmasked final frame. */
export interface RawFrame {
  opcode: number;
  payload?: Uint8Array | string;
  fin?: boolean;
  /** The reserved bits, 0 to 7. */
  rsv?: number;
  /** A mask key to apply (servers must not). */
  mask?: Uint8Array;
  /** Force a length encoding: 7, 16 or 64 bits. */
  lengthBits?: 7 | 16 | 64;
}

/** The frame as bytes. */
export function rawFrame(frame: RawFrame): Uint8Array {
  const payload = typeof frame.payload === "string"
    ? new TextEncoder().encode(frame.payload)
    : frame.payload ?? new Uint8Array();
  const bits = frame.lengthBits ?? (payload.length < 126 ? 7 : payload.length <= 0xffff ? 16 : 64);
  const head: number[] = [
    ((frame.fin ?? true) ? 0x80 : 0) | ((frame.rsv ?? 0) << 4) | frame.opcode,
  ];
  const maskBit = frame.mask === undefined ? 0 : 0x80;
  if (bits === 7) head.push(maskBit | payload.length);
  else if (bits === 16) head.push(maskBit | 126, payload.length >> 8, payload.length & 0xff);
  else {
    head.push(maskBit | 127, 0, 0, 0, 0);
    for (let shift = 24; shift >= 0; shift -= 8) head.push((payload.length >>> shift) & 0xff);
  }
  const body = payload.slice();
  if (frame.mask !== undefined) {
    head.push(...frame.mask);
    for (let at = 0; at < body.length; at++) body[at]! ^= frame.mask[at & 3]!;
  }
  return concat([new Uint8Array(head), body]);
}

/** The arrays joined. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/** A close frame's payload: the code, then the reason. */
export function closeBody(code: number, reason = ""): Uint8Array {
  return concat([new Uint8Array([code >> 8, code & 0xff]), new TextEncoder().encode(reason)]);
}

/**
 * Reads one client frame (masked), as a server does: its opcode, FIN and unmasked payload, and
 * the bytes it took; undefined when `bytes` holds no whole frame yet.
 */
export function readClientFrame(
  bytes: Uint8Array,
):
  | { fin: boolean; opcode: number; masked: boolean; payload: Uint8Array; size: number }
  | undefined {
  if (bytes.length < 2) return undefined;
  const short = bytes[1]! & 0x7f;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 2;
  let length = short;
  if (short === 126) {
    if (bytes.length < 4) return undefined;
    length = view.getUint16(2);
    at = 4;
  } else if (short === 127) {
    if (bytes.length < 10) return undefined;
    length = view.getUint32(2) * 2 ** 32 + view.getUint32(6);
    at = 10;
  }
  const masked = (bytes[1]! & 0x80) !== 0;
  const key = masked ? bytes.slice(at, at + 4) : undefined;
  if (masked) at += 4;
  if (bytes.length < at + length) return undefined;
  const payload = bytes.slice(at, at + length);
  if (key !== undefined) { for (let i = 0; i < payload.length; i++) payload[i]! ^= key[i & 3]!; }
  return {
    fin: (bytes[0]! & 0x80) !== 0,
    opcode: bytes[0]! & 0x0f,
    masked,
    payload,
    size: at + length,
  };
}
