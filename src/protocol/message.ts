// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ProtocolError } from "../errors.ts";
import { cborEncoder, decodeCbor } from "./_cbor.ts";
import { FieldError } from "./_codec.ts";
import { decodeEnvelope, encodeEnvelope, EnvelopeError } from "./_envelope.ts";
import { EMPTY_BODY_TYPES, emptyPayload, PAYLOADS } from "./_schemas.ts";
import type { Frame } from "./frame.ts";
import { flagsOf, isMessageType, type MessageType, PROTOCOL_VERSION } from "./message_types.ts";
import type { PayloadMap } from "./payloads.ts";

/**
 * A decoded message of a known type: the frame header plus the envelope `{v, t, p}` with its
 * payload decoded.
 *
 * @example A typed message
 * ```ts
 * import { FLAG_TERMINAL, type Message } from "@microsandbox/edge/protocol";
 *
 * const exited: Message<"core.exec.exited"> = {
 *   id: 1, flags: FLAG_TERMINAL, version: 7, type: "core.exec.exited", payload: { code: 0 },
 * };
 * ```
 */
export interface Message<T extends MessageType = MessageType> {
  /** The session id, a u32. */
  id: number;
  /** The frame's flag bits. */
  flags: number;
  /** The sender's protocol generation (`v`). */
  version: number;
  /** The message type (`t`). */
  type: T;
  /** The decoded payload (`p`). */
  payload: PayloadMap[T];
  /** Never set on a known message; lets `if (message.unknown)` tell the two kinds apart. */
  unknown?: false;
}

/**
 * A message whose `t` this library does not know (a newer generation's type). It decodes instead
 * of failing so a caller can skip it, or fail the session when its flags say it was terminal.
 *
 * @example Skipping unknown types
 * ```ts
 * import { decodeMessage, FLAG_TERMINAL } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * // {v: 9, t: "core.new", p: b""}
 * const body = new Uint8Array([0xa3, 0x61, 0x76, 9, 0x61, 0x74, 0x68,
 *   ...new TextEncoder().encode("core.new"), 0x61, 0x70, 0x40]);
 * const message = decodeMessage({ id: 3, flags: 0, body });
 * assert.ok(message.unknown);
 * assert.equal(message.type, "core.new");
 * assert.equal(message.flags & FLAG_TERMINAL, 0);
 * ```
 */
export interface UnknownMessage {
  /** The session id, a u32. */
  id: number;
  /** The frame's flag bits. */
  flags: number;
  /** The sender's protocol generation (`v`). */
  version: number;
  /** The unknown `t`. */
  type: string;
  /** Always `true`. */
  unknown: true;
  /** The undecoded payload (`p`), a view of the frame body. */
  payloadBytes: Uint8Array;
}

/**
 * What {@linkcode decodeMessage} returns: a {@linkcode Message} of one of the known types,
 * discriminated on `type`, or an {@linkcode UnknownMessage} (`unknown: true`).
 *
 * @example Narrowing
 * ```ts
 * import { type DecodedMessage, decodeMessage, encodeMessage } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * const message: DecodedMessage = decodeMessage(encodeMessage(1, "core.exec.exited", { code: 3 }));
 * if (!message.unknown && message.type === "core.exec.exited") {
 *   assert.equal(message.payload.code, 3);
 * }
 * ```
 */
export type DecodedMessage =
  | { [T in MessageType]: Message<T> }[MessageType]
  | UnknownMessage;

const NO_BYTES: Uint8Array = new Uint8Array(0);

/**
 * Encodes a message into a frame: the payload is CBOR-encoded with the field names and order the
 * Rust agent uses, then wrapped in the envelope `{v, t, p}`; the flags are the type's.
 *
 * @example The stdin EOF of the seed's exec route (protocol.md §5.8 example C)
 * ```ts
 * import { encodeFrame, encodeMessage } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * const frame = encodeMessage(1, "core.exec.stdin", { data: new Uint8Array() }, 5);
 * assert.equal(encodeFrame(frame).length, 41);
 * assert.deepEqual(frame.body.subarray(-7), new Uint8Array([0xa1, 0x64, 0x64, 0x61, 0x74, 0x61, 0x40]));
 * ```
 *
 * @param id The session id, a u32.
 * @param type The message type.
 * @param payload Its payload; u64 fields take a `number` or a `bigint`.
 * @param version The generation to send as `v`; `PROTOCOL_VERSION` (7) by default, 5 on the
 * seed's `exec.cbor` route.
 * @returns The frame, whose body is a new buffer.
 * @throws {ProtocolError} When the type is unknown, the id or version is out of range, or the
 * payload does not fit the type's schema (naming the field).
 */
export function encodeMessage<T extends MessageType>(
  id: number,
  type: T,
  payload: PayloadMap[T],
  version: number = PROTOCOL_VERSION,
): Frame {
  if (!isMessageType(type)) {
    throw new ProtocolError(`Cannot encode message: unknown type ${JSON.stringify(type)}`);
  }
  const where = `Cannot encode message ${type} on session ${id}`;
  if (!Number.isInteger(id) || id < 0 || id > 0xffff_ffff) {
    throw new ProtocolError(`${where}: the id must be a u32`);
  }
  if (!Number.isInteger(version) || version < 0 || version > 0xff) {
    throw new ProtocolError(`${where}: the version must be a u8, got ${version}`);
  }
  let bytes = NO_BYTES;
  if (!EMPTY_BODY_TYPES.has(type)) {
    try {
      bytes = cborEncoder.encode(PAYLOADS[type].encode(payload));
    } catch (error) {
      const reason = error instanceof FieldError ? error.describe() : String(error);
      throw new ProtocolError(`${where}: ${reason}`, { cause: error });
    }
  }
  return { id, flags: flagsOf(type), body: encodeEnvelope(version, type, bytes) };
}

/**
 * Decodes a frame's envelope and payload. Byte strings in the payload (`data`) are views of
 * `frame.body`. Absent optional fields take their defaults (`null`, `[]`, `rows` 24, …), unknown
 * keys are ignored, and an unknown `t` gives an {@linkcode UnknownMessage}.
 *
 * @example Decoding a stdout frame
 * ```ts
 * import { decodeMessage, encodeMessage } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * const frame = encodeMessage(1, "core.exec.stdout", { data: new TextEncoder().encode("hi\n") });
 * const message = decodeMessage(frame);
 * assert.equal(message.type, "core.exec.stdout");
 * if (!message.unknown && message.type === "core.exec.stdout") {
 *   assert.equal(new TextDecoder().decode(message.payload.data), "hi\n");
 * }
 * ```
 *
 * @param frame A frame from `FrameDecoder` or `FrameDecoderStream`.
 * @returns The typed message, or an {@linkcode UnknownMessage}.
 * @throws {ProtocolError} When the body is not CBOR, the envelope is not `{v, t, p}`, or the
 * payload lacks a required field or has one of the wrong type (naming type, field and session).
 */
export function decodeMessage(frame: Frame): DecodedMessage {
  const { id, flags, body } = frame;
  let envelope;
  try {
    envelope = decodeEnvelope(body);
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    const what = error.type === undefined ? "message" : `message ${error.type}`;
    throw new ProtocolError(`Cannot decode ${what} on session ${id}: ${error.message}`, {
      cause: error.cause,
    });
  }
  const { version, type, payload } = envelope;
  if (!isMessageType(type)) {
    return { id, flags, version, type, unknown: true, payloadBytes: payload };
  }
  return { id, flags, version, type, payload: decodePayload(type, payload, id) } as DecodedMessage;
}

function decodePayload<T extends MessageType>(
  type: T,
  bytes: Uint8Array,
  id: number,
): PayloadMap[T] {
  const codec = PAYLOADS[type];
  if (bytes.length === 0 && (codec === emptyPayload || EMPTY_BODY_TYPES.has(type))) {
    return {} as PayloadMap[T];
  }
  const where = `Cannot decode message ${type} on session ${id}`;
  let raw: unknown;
  try {
    raw = decodeCbor(bytes);
  } catch (error) {
    throw new ProtocolError(
      `${where}: the payload is not valid CBOR (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  try {
    return codec.decode(raw);
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    throw new ProtocolError(`${where}: ${error.describe()}`, { cause: error });
  }
}
