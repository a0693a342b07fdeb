// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The envelope `{v, t, p}` (protocol.md §5.2): a definite map of three text keys in that order,
// `v` a u8, `t` a text string, `p` a byte string holding the separately encoded payload.
// Writing it by hand gives ciborium's exact bytes in one buffer of the right size, with a single
// copy of the payload; cbor-x would hand back a view of its shared scratch buffer instead.
// Reading it by hand in that same layout skips a cbor-x pass and its allocations on every frame
// (see bench/protocol_decode_bench.ts); other layouts still go through cbor-x.

import { decodeCbor } from "./_cbor.ts";

/** The envelope's fields, as decoded; `p` is a view of the body. */
export interface Envelope {
  version: number;
  type: string;
  payload: Uint8Array;
}

const utf8 = new TextEncoder();
/** `a3 61 76`: a map of 3, then the key "v". */
const MAP_V = [0xa3, 0x61, 0x76];
/** `61 74`: the key "t". */
const KEY_T = [0x61, 0x74];
/** `61 70`: the key "p". */
const KEY_P = [0x61, 0x70];

/** The bytes between `v`'s value and `p`'s value for each type, built once per type. */
const middles = new Map<string, Uint8Array>();

function middleOf(type: string): Uint8Array {
  let middle = middles.get(type);
  if (!middle) {
    const name = utf8.encode(type);
    middle = Uint8Array.from([...KEY_T, ...head(3, name.length), ...name, ...KEY_P]);
    middles.set(type, middle);
  }
  return middle;
}

/** The shortest CBOR head of major type `major` with argument `n` (< 2^32). */
function head(major: number, n: number): number[] {
  const m = major << 5;
  if (n < 24) return [m | n];
  if (n < 0x100) return [m | 24, n];
  if (n < 0x10000) return [m | 25, n >> 8, n & 0xff];
  return [m | 26, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/**
 * Writes the envelope of a known type.
 *
 * @param version The sender's generation, a u8.
 * @param type A message type (its header bytes are cached).
 * @param payload The encoded payload.
 */
export function encodeEnvelope(version: number, type: string, payload: Uint8Array): Uint8Array {
  const v = head(0, version);
  const middle = middleOf(type);
  const p = head(2, payload.length);
  const body = new Uint8Array(MAP_V.length + v.length + middle.length + p.length + payload.length);
  let at = 0;
  for (const part of [MAP_V, v, middle, p]) {
    body.set(part, at);
    at += part.length;
  }
  body.set(payload, at);
  return body;
}

/** Why an envelope could not be read; the caller adds the session. */
export class EnvelopeError extends Error {
  /** The `t` of the envelope, once known. */
  readonly type: string | undefined;

  /**
   * @param message What is wrong.
   * @param type The `t` of the envelope, once known.
   * @param options The cause.
   */
  constructor(message: string, type?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "EnvelopeError";
    this.type = type;
  }
}

/**
 * Reads the envelope of a frame body. The layout every sender writes (ciborium and our encoder:
 * `a3 61 76 <v> 61 74 <t> 61 70 <p>`) is read in place without allocating; anything else (other
 * key orders, extra keys, non-minimal heads, tags) goes through cbor-x, which tolerates what
 * ciborium tolerates.
 */
export function decodeEnvelope(body: Uint8Array): Envelope {
  return readCanonical(body) ?? readAny(body);
}

/** The envelope in its canonical layout, or `undefined` when the body has another layout. */
function readCanonical(body: Uint8Array): Envelope | undefined {
  const end = body.length;
  if (end < 10 || body[0] !== 0xa3 || body[1] !== 0x61 || body[2] !== 0x76) return undefined;
  let at = 3;
  let version = body[at++]!;
  if (version === 0x18) version = body[at++]!;
  else if (version >= 24) return undefined;
  if (body[at] !== 0x61 || body[at + 1] !== 0x74) return undefined;
  at += 2;
  let typeLength = body[at++]! - 0x60;
  if (typeLength === 24) typeLength = body[at++]!;
  else if (typeLength < 0 || typeLength > 24) return undefined;
  const typeStart = at;
  at += typeLength;
  if (at + 3 > end || body[at] !== 0x61 || body[at + 1] !== 0x70) return undefined;
  at += 2;
  const head = body[at++]!;
  let length: number;
  if (head >= 0x40 && head < 0x58) {
    length = head - 0x40;
  } else if (head === 0x58) {
    length = body[at++]!;
  } else if (head === 0x59) {
    length = (body[at]! << 8) | body[at + 1]!;
    at += 2;
  } else if (head === 0x5a) {
    length = body[at]! * 0x1000000 + ((body[at + 1]! << 16) | (body[at + 2]! << 8) | body[at + 3]!);
    at += 4;
  } else {
    return undefined;
  }
  if (at + length !== end) return undefined;
  const type = typeAt(body, typeStart, typeLength);
  if (type === undefined) return undefined;
  return { version, type, payload: body.subarray(at, end) };
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
/** The last `t` read, as bytes and as a string: consecutive frames mostly share a type. */
let lastTypeBytes = new Uint8Array(0);
let lastType = "";

/** The text of `t`, reusing the previous string when the bytes are the same. */
function typeAt(body: Uint8Array, start: number, length: number): string | undefined {
  if (length === lastTypeBytes.length) {
    let same = true;
    for (let i = 0; i < length && same; i++) same = body[start + i] === lastTypeBytes[i];
    if (same) return lastType;
  }
  const bytes = body.slice(start, start + length);
  try {
    lastType = utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
  lastTypeBytes = bytes;
  return lastType;
}

/** The envelope in any layout cbor-x can read. */
function readAny(body: Uint8Array): Envelope {
  let value: unknown;
  try {
    value = decodeCbor(body);
  } catch (error) {
    throw new EnvelopeError(`the body is not valid CBOR (${(error as Error).message})`, undefined, {
      cause: error,
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || isBytes(value)) {
    throw new EnvelopeError("the envelope is not a map");
  }
  const { v, t, p } = value as Record<string, unknown>;
  if (t === undefined) throw new EnvelopeError("the envelope has no `t`");
  if (typeof t !== "string") throw new EnvelopeError("the envelope's `t` is not a text string");
  if (v === undefined) throw new EnvelopeError("the envelope has no `v`", t);
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xff) {
    throw new EnvelopeError("the envelope's `v` is not a u8", t);
  }
  if (!isBytes(p)) throw new EnvelopeError("the envelope's `p` is not a byte string", t);
  return { version: v, type: t, payload: p };
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}
