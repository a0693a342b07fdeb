// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/** RFC 6455 §5.2 opcodes; the others (3 to 7, 11 to 15) are reserved. */
export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

/** Whether `opcode` is one RFC 6455 defines. */
export function isKnownOpcode(opcode: number): boolean {
  return opcode <= Opcode.Binary || (opcode >= Opcode.Close && opcode <= Opcode.Pong);
}

/** Whether `opcode` is a control frame's (close, ping, pong): at most 125 bytes, never fragmented. */
export function isControl(opcode: number): boolean {
  return opcode >= Opcode.Close;
}

/** The most payload bytes of a control frame (RFC 6455 §5.5). */
export const MAX_CONTROL_PAYLOAD = 125;
