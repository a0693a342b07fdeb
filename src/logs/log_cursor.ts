// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { InvalidCursorError } from "../errors.ts";

/** One position of a cursor: a log's generation and a byte offset in it. */
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

  /** Its positions, in order. */
  readonly positions: readonly LogPosition[];

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
    this.positions = positions.map(({ generation, offset }) => ({ generation, offset }));
  }

  /**
   * Reads a cursor; an empty string is the empty cursor.
   *
   * @param text The cursor's base64 text.
   * @returns The cursor.
   */
  static parse(text: string): LogCursor {
    if (text === "") return LogCursor.EMPTY;
    const bytes = decodeBase64(text);
    const count = bytes[0];
    if (count === undefined || bytes.length !== 1 + 16 * count) {
      throw new InvalidCursorError(`cursor payload has unexpected length ${bytes.length}`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const positions = Array.from({ length: count }, (_, i) => ({
      generation: view.getBigUint64(1 + 16 * i, true),
      offset: view.getBigUint64(9 + 16 * i, true),
    }));
    return new LogCursor(positions);
  }

  /**
   * Writes the cursor in the SDK's format.
   *
   * @returns Standard base64 with padding.
   */
  toString(): string {
    const bytes = new Uint8Array(1 + 16 * this.positions.length);
    const view = new DataView(bytes.buffer);
    bytes[0] = this.positions.length;
    this.positions.forEach(({ generation, offset }, i) => {
      view.setBigUint64(1 + 16 * i, generation, true);
      view.setBigUint64(9 + 16 * i, offset, true);
    });
    return btoa(String.fromCharCode(...bytes));
  }

  /**
   * Whether the cursor has no position.
   *
   * @returns True for the empty cursor.
   */
  isEmpty(): boolean {
    return this.positions.length === 0;
  }
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const SEXTETS = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTETS[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 with canonical padding, decoded by hand: cursors come with every log entry. */
function decodeBase64(text: string): Uint8Array {
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  if (text.length % 4 !== 0) {
    throw new InvalidCursorError("cursor is not standard base64 with padding");
  }
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const a = sextet(text, i), b = sextet(text, i + 1);
    const c = last && padding === 2 ? 0 : sextet(text, i + 2);
    const d = last && padding >= 1 ? 0 : sextet(text, i + 3);
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    out[at++] = bits >> 16;
    if (at < out.length) out[at++] = (bits >> 8) & 0xff;
    if (at < out.length) out[at++] = bits & 0xff;
    if (last && (bits & (padding === 2 ? 0xffff : padding === 1 ? 0xff : 0)) !== 0) {
      throw new InvalidCursorError("cursor base64 has non-zero trailing bits");
    }
  }
  return out;
}

function sextet(text: string, index: number): number {
  const value = SEXTETS[text.charCodeAt(index)] ?? -1;
  if (value < 0) throw new InvalidCursorError("cursor is not standard base64 with padding");
  return value;
}

function inU64(value: bigint): boolean {
  return typeof value === "bigint" && value >= 0n && value < 1n << 64n;
}
