// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

const FIN = 0x80;
const MASK = 0x80;

/**
 * One client frame (RFC 6455 §5.2): FIN set, no reserved bit, the payload masked with a fresh
 * key from `crypto.getRandomValues` (§5.3: a client masks every frame), the length in its
 * shortest form. Head and payload are written into one array, so a frame is one socket write.
 */
export function encodeFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length <= 0xffff ? 2 : 8;
  const start = 2 + lengthBytes + 4;
  const frame = new Uint8Array(start + length);
  const view = new DataView(frame.buffer);
  frame[0] = FIN | opcode;
  if (lengthBytes === 0) frame[1] = MASK | length;
  else if (lengthBytes === 2) {
    frame[1] = MASK | 126;
    view.setUint16(2, length);
  } else {
    frame[1] = MASK | 127;
    view.setUint32(2, Math.floor(length / 2 ** 32));
    view.setUint32(6, length >>> 0);
  }
  const key = frame.subarray(start - 4, start);
  crypto.getRandomValues(key);
  for (let at = 0; at < length; at++) frame[start + at] = payload[at]! ^ key[at & 3]!;
  return frame;
}
