// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { byteString } from "./_byte_string.ts";
import { malformed } from "./_malformed.ts";

const LF = 10;
const CR = 13;

/**
 * Cuts lines out of chunks, however they are split: a line ends at LF, one CR before it is
 * dropped (RFC 9112 §2.2 lets a recipient accept a bare LF; a bare CR anywhere else is refused).
 * The start of a line that is not complete yet is parked as views of its chunks and joined once,
 * when its end arrives, so the work is linear whatever the split.
 */
export class LineReader {
  #parts: Uint8Array[] = [];
  #size = 0;
  /** The last line read, without its end, as a byte string. */
  line = "";

  /**
   * Reads from `chunk` at `from` to the end of the line. Returns the index after the LF, with the
   * line in {@linkcode LineReader.line}, or -1 when the chunk ended first (its rest is parked).
   * Throws a `ProtocolError` when the line, its end included, would take more than `budget`
   * bytes (the message names `what` and its limit `max`), or holds a bare CR.
   */
  read(chunk: Uint8Array, from: number, budget: number, what: string, max: number): number {
    const lf = chunk.indexOf(LF, from);
    const end = lf === -1 ? chunk.length : lf + 1;
    const size = this.#size + end - from;
    if (size > budget || (lf === -1 && size >= budget)) {
      throw malformed(`the ${what} is longer than ${max} bytes`);
    }
    if (lf === -1) {
      if (end > from) this.#parts.push(chunk.subarray(from, end));
      this.#size = size;
      return -1;
    }
    this.line = this.#join(chunk.subarray(from, lf));
    return end;
  }

  /** Bytes parked of a line not complete yet. */
  get pending(): number {
    return this.#size;
  }

  /** Forgets the parked bytes. */
  reset(): void {
    this.#parts = [];
    this.#size = 0;
  }

  #join(last: Uint8Array): string {
    let bytes = last;
    if (this.#parts.length > 0) {
      bytes = new Uint8Array(this.#size + last.length);
      let at = 0;
      for (const part of [...this.#parts, last]) {
        bytes.set(part, at);
        at += part.length;
      }
      this.reset();
    }
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CR
      ? bytes.length - 1
      : bytes.length;
    const line = bytes.subarray(0, end);
    if (line.includes(CR)) throw malformed("a bare CR inside a line");
    return byteString(line);
  }
}
