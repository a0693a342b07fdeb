// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { InvalidCursorError } from "../errors.ts";

/**
 * One position of a cursor: a log's generation and a byte offset in it.
 *
 * @example Where a cursor stands
 * ```ts
 * import { LogCursor, type LogPosition } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * // The text a server sends as an SSE `id`, and what it says once decoded.
 * const id = new LogCursor([{ generation: 3n, offset: 4096n }]).toString();
 * const [position]: readonly LogPosition[] = LogCursor.parse(id).positions;
 * assert.equal(position?.generation, 3n);
 * assert.equal(position?.offset, 4096n); // the bytes of generation 3 read so far
 * ```
 */
export interface LogPosition {
  /** Which generation of the log (a file identity, for a local sandbox). */
  readonly generation: bigint;
  /** The byte offset in it. */
  readonly offset: bigint;
}

/**
 * Where a log stream stands, as the SDK writes it: standard base64 (with padding) of one count
 * byte followed by, per position, its generation and offset as little-endian u64s. The server's
 * SSE `id` is a cursor; sending it back as `Last-Event-ID` resumes after that entry.
 *
 * @example Round trip
 * ```ts
 * import { LogCursor } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const cursor = new LogCursor([{ generation: 1n, offset: 42n }]);
 * const text = cursor.toString();
 * assert.deepEqual(LogCursor.parse(text).positions, cursor.positions);
 * assert.equal(LogCursor.EMPTY.toString(), "AA==");
 * ```
 */
export class LogCursor {
  /** The cursor with no position (`AA==`), where an entry without an `id` stands. */
  static readonly EMPTY: LogCursor = new LogCursor([]);

  /** The positions, once known: given to the constructor, or decoded from `#bytes` on demand. */
  #positions: readonly LogPosition[] | undefined;
  /** The base64 text, once known (a parsed cursor's positions are decoded from it on demand). */
  #text: string | undefined;

  /**
   * Builds a cursor.
   *
   * @param positions At most 255 positions, each within u64.
   */
  constructor(positions: readonly LogPosition[]) {
    if (positions.length > 255) {
      throw new InvalidCursorError("a cursor holds at most 255 positions");
    }
    for (const { generation, offset } of positions) {
      if (!inU64(generation) || !inU64(offset)) {
        throw new InvalidCursorError("cursor positions must be unsigned 64-bit integers");
      }
    }
    this.#positions = positions.map(({ generation, offset }) => ({ generation, offset }));
  }

  /**
   * Reads a cursor; an empty string is the empty cursor. The text is checked whole (canonical
   * base64, a length that matches its count byte) but its positions are decoded only when asked
   * for: a log stream parses one cursor per entry and rarely looks inside.
   *
   * @param text The cursor's base64 text.
   * @returns The cursor.
   * @throws {InvalidCursorError} When the text is not a cursor.
   */
  static parse(text: string): LogCursor {
    if (text === "") return LogCursor.EMPTY;
    const length = walkBase64(text);
    if (length === 0 || length !== 1 + 16 * firstByte(text)) {
      throw new InvalidCursorError(`cursor payload has unexpected length ${length}`);
    }
    const cursor = new LogCursor([]);
    cursor.#positions = undefined;
    cursor.#text = text;
    return cursor;
  }

  /** Its positions, in order. */
  get positions(): readonly LogPosition[] {
    return this.#positions ??= readPositions(decodeBase64(this.#text!));
  }

  /**
   * Writes the cursor in the SDK's format (a parsed cursor gives back its text).
   *
   * @returns Standard base64 with padding.
   */
  toString(): string {
    return this.#text ??= writePositions(this.positions);
  }

  /**
   * Whether the cursor has no position.
   *
   * @returns True for the empty cursor.
   */
  isEmpty(): boolean {
    return this.#positions ? this.#positions.length === 0 : firstByte(this.#text!) === 0;
  }
}

/** The positions of a cursor's bytes (count byte, then little-endian u64 pairs). */
function readPositions(bytes: Uint8Array): LogPosition[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes[0]! }, (_, i) => ({
    generation: view.getBigUint64(1 + 16 * i, true),
    offset: view.getBigUint64(9 + 16 * i, true),
  }));
}

/** The base64 text of a cursor holding `positions`, built without typed arrays (see `walkBase64`). */
function writePositions(positions: readonly LogPosition[]): string {
  const bytes = [positions.length];
  for (const { generation, offset } of positions) {
    pushU64(bytes, generation);
    pushU64(bytes, offset);
  }
  return encodeBase64(bytes);
}

/** Appends `value` (within u64) as 8 little-endian bytes. */
function pushU64(bytes: number[], value: bigint): void {
  for (let word of [Number(value & 0xffff_ffffn), Number(value >> 32n)]) {
    for (let i = 0; i < 4; i++, word >>>= 8) bytes.push(word & 0xff);
  }
}

/** Standard base64 with padding. */
function encodeBase64(bytes: readonly number[]): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const second = bytes[i + 1];
    const third = bytes[i + 2];
    const bits = (bytes[i]! << 16) | ((second ?? 0) << 8) | (third ?? 0);
    text += ALPHABET[bits >> 18]! + ALPHABET[(bits >> 12) & 63]! +
      (second === undefined ? "=" : ALPHABET[(bits >> 6) & 63]!) +
      (third === undefined ? "=" : ALPHABET[bits & 63]!);
  }
  return text;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const SEXTETS = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTETS[ALPHABET.charCodeAt(i)] = i;

/**
 * Walks standard base64 with canonical padding, by hand: cursors come with every log entry. Each
 * byte is passed to `put` (when given) and the byte count is returned, so that checking a cursor
 * allocates nothing (a typed array costs about half a microsecond in V8).
 */
function walkBase64(text: string, put?: (byte: number, index: number) => void): number {
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  if (text.length % 4 !== 0) {
    throw new InvalidCursorError("cursor is not standard base64 with padding");
  }
  const length = (text.length / 4) * 3 - padding;
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const a = sextet(text, i), b = sextet(text, i + 1);
    const c = last && padding === 2 ? 0 : sextet(text, i + 2);
    const d = last && padding >= 1 ? 0 : sextet(text, i + 3);
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    if (last && (bits & (padding === 2 ? 0xffff : padding === 1 ? 0xff : 0)) !== 0) {
      throw new InvalidCursorError("cursor base64 has non-zero trailing bits");
    }
    if (put === undefined) continue;
    put(bits >> 16, at++);
    if (at < length) put((bits >> 8) & 0xff, at++);
    if (at < length) put(bits & 0xff, at++);
  }
  return length;
}

/** The first byte of base64 `text` (valid, at least 2 characters). */
function firstByte(text: string): number {
  return (SEXTETS[text.charCodeAt(0)]! << 2) | (SEXTETS[text.charCodeAt(1)]! >> 4);
}

/** The bytes of base64 `text`, already checked by {@linkcode walkBase64}. */
function decodeBase64(text: string): Uint8Array {
  const out = new Uint8Array(walkBase64(text));
  walkBase64(text, (byte, index) => out[index] = byte);
  return out;
}

function sextet(text: string, index: number): number {
  const value = SEXTETS[text.charCodeAt(index)] ?? -1;
  if (value < 0) throw new InvalidCursorError("cursor is not standard base64 with padding");
  return value;
}

const U64_END = 1n << 64n;

function inU64(value: bigint): boolean {
  return typeof value === "bigint" && value >= 0n && value < U64_END;
}
