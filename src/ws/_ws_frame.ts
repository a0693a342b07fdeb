// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/** One RFC 6455 frame as it travels: its FIN bit, opcode and (unmasked) payload. */
export interface WsFrame {
  /** Whether this frame ends its message. */
  fin: boolean;
  /** The opcode (see `Opcode`). */
  opcode: number;
  /** The application data, unmasked. */
  payload: Uint8Array;
}
