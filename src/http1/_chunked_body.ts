// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { isFieldText, parseFieldLine } from "./_field_syntax.ts";
import { LineReader } from "./_line_reader.ts";
import { malformed } from "./_malformed.ts";

/** The longest chunk-size line accepted (size, extensions and line end): 4 KiB. */
export const MAX_CHUNK_LINE = 4096;
/** The most hex digits of a chunk size (13 digits stay below 2^53). */
const MAX_SIZE_DIGITS = 13;
/** `chunk-size [ chunk-ext ]`, whitespace allowed before each `;` (RFC 9112 §7.1.1). */
const CHUNK_LINE = /^([0-9A-Fa-f]+)[\t ]*(;.*)?$/;

type State = "size" | "data" | "data-end" | "trailers" | "done";

/**
 * Decodes a chunked body (RFC 9112 §7.1): chunk sizes in hex with extensions (checked, then
 * ignored), each chunk's data handed out as views of the fed chunks, the CRLF after each chunk
 * required, and the trailer section read (checked, within `maxTrailers` bytes) and dropped.
 */
export class ChunkedBody {
  readonly #lines = new LineReader();
  readonly #onData: (bytes: Uint8Array) => void;
  readonly #maxTrailers: number;
  #state: State = "size";
  #left = 0;
  #trailers = 0;

  /** Builds the decoder; `onData` receives the data, `maxTrailers` bounds the trailers. */
  constructor(onData: (bytes: Uint8Array) => void, maxTrailers: number) {
    this.#onData = onData;
    this.#maxTrailers = maxTrailers;
  }

  /** Whether the last chunk and the trailers have been read. */
  get done(): boolean {
    return this.#state === "done";
  }

  /**
   * Reads from `chunk` at `from`. Returns the index after the body once it is complete, or -1 when
   * the chunk ended first. Throws a `ProtocolError` on a malformed chunk line or trailer.
   */
  read(chunk: Uint8Array, from: number): number {
    let at = from;
    while (at < chunk.length && this.#state !== "done") {
      at = this.#state === "data" ? this.#data(chunk, at) : this.#line(chunk, at);
      if (at === -1) return -1;
    }
    return this.#state === "done" ? at : -1;
  }

  #data(chunk: Uint8Array, at: number): number {
    const end = Math.min(chunk.length, at + this.#left);
    this.#left -= end - at;
    if (this.#left === 0) this.#state = "data-end";
    this.#onData(chunk.subarray(at, end));
    return end;
  }

  #line(chunk: Uint8Array, at: number): number {
    const trailers = this.#state === "trailers";
    const max = trailers ? this.#maxTrailers : this.#state === "size" ? MAX_CHUNK_LINE : 2;
    const budget = trailers ? max - this.#trailers : max;
    const what = trailers
      ? "trailer section"
      : this.#state === "size"
      ? "chunk-size line"
      : "CRLF after a chunk's data";
    const next = this.#lines.read(chunk, at, budget, what, max);
    if (next === -1) return -1;
    if (trailers) this.#trailers += next - at;
    this.#take(this.#lines.line);
    return next;
  }

  #take(line: string): void {
    if (this.#state === "size") return this.#size(line);
    if (this.#state === "data-end") {
      if (line !== "") throw malformed("a chunk's data is not followed by CRLF");
      this.#state = "size";
      return;
    }
    if (line === "") {
      this.#state = "done";
      return;
    }
    const field = parseFieldLine(line);
    if (typeof field === "string") throw malformed(`${field} in the trailer section`);
  }

  #size(line: string): void {
    const match = CHUNK_LINE.exec(line);
    if (match === null || !isFieldText(match[2] ?? "")) {
      throw malformed(`an invalid chunk-size line ${JSON.stringify(line.slice(0, 80))}`);
    }
    const digits = match[1]!.replace(/^0+(?=.)/, "");
    if (digits.length > MAX_SIZE_DIGITS) throw malformed(`a chunk size too large (${digits})`);
    this.#left = parseInt(digits, 16);
    this.#state = this.#left === 0 ? "trailers" : "data";
  }
}
