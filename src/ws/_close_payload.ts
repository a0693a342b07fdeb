// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { InvalidConfigError } from "../errors.ts";
import { MAX_CONTROL_PAYLOAD } from "./_opcode.ts";
import { CloseCode, wsMalformed } from "./_ws_error.ts";

/** A close frame's content: no code at all (an empty payload), or a code and a reason. */
export interface CloseInfo {
  /** The close code, 1005 ("no status") when the frame had none. */
  code: number;
  /** The reason, empty when none was given. */
  reason: string;
}

/** The code a peer reports when its close frame has no payload (RFC 6455 §7.1.5). */
export const NO_STATUS = 1005;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Whether a peer may send `code` in a close frame (RFC 6455 §7.4, the IANA registry). */
function isSendableCode(code: number): boolean {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006;
}

/** Reads a close frame's payload; a 1-byte payload, a bad code or reason is a `ProtocolError`. */
export function parseClose(payload: Uint8Array): CloseInfo {
  if (payload.length === 0) return { code: NO_STATUS, reason: "" };
  if (payload.length === 1) throw wsMalformed("a close frame holds a single byte");
  const code = (payload[0]! << 8) | payload[1]!;
  if (!isSendableCode(code)) throw wsMalformed(`a close frame has the invalid code ${code}`);
  try {
    return { code, reason: strictUtf8.decode(payload.subarray(2)) };
  } catch {
    throw wsMalformed("a close reason is not UTF-8", CloseCode.InvalidData);
  }
}

/**
 * The payload of a close frame the application asks for: `code` 1000 or 3000 to 4999 (as
 * `WebSocket.close` allows), `reason` at most 123 bytes of UTF-8; else an `InvalidConfigError`.
 */
export function closePayload(code: number, reason: string): Uint8Array {
  if (code !== CloseCode.Normal && !(Number.isInteger(code) && code >= 3000 && code <= 4999)) {
    throw new InvalidConfigError(`A close code must be 1000 or 3000 to 4999, got ${code}`);
  }
  const text = new TextEncoder().encode(reason);
  if (text.length > MAX_CONTROL_PAYLOAD - 2) {
    throw new InvalidConfigError(
      `A close reason must take at most ${
        MAX_CONTROL_PAYLOAD - 2
      } bytes of UTF-8, got ${text.length}`,
    );
  }
  const payload = new Uint8Array(2 + text.length);
  payload[0] = code >> 8;
  payload[1] = code & 0xff;
  payload.set(text, 2);
  return payload;
}
