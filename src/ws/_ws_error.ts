// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ProtocolError } from "../errors.ts";

/** RFC 6455 §7.4.1 close codes a client sends when it fails the connection. */
export const CloseCode = {
  Normal: 1000,
  ProtocolError: 1002,
  InvalidData: 1007,
  TooBig: 1009,
} as const;

const codes = new WeakMap<ProtocolError, number>();

/**
 * The one error of a WebSocket peer that breaks RFC 6455: what was wrong, in a sentence, with the
 * close code to fail the connection with (read back by {@linkcode failureCode}).
 */
export function wsMalformed(reason: string, code: number = CloseCode.ProtocolError): ProtocolError {
  const error = new ProtocolError(`Cannot read the WebSocket stream: ${reason}`);
  codes.set(error, code);
  return error;
}

/** The close code to fail the connection with after `error` (1002 unless it says otherwise). */
export function failureCode(error: unknown): number {
  return error instanceof ProtocolError ? codes.get(error) ?? CloseCode.ProtocolError : 1011;
}
