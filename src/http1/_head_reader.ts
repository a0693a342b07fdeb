// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Http1ResponseHead } from "./http1_response_head.ts";
import { parseFieldLine, parseStatusLine } from "./_field_syntax.ts";
import { LineReader } from "./_line_reader.ts";
import { malformed } from "./_malformed.ts";

/**
 * Reads one response head, a status line then field lines up to an empty line, checking each
 * line as it ends, within `max` bytes shared by every head it reads (so a stream of interim
 * responses cannot go on for ever).
 */
export class HeadReader {
  readonly #lines = new LineReader();
  readonly #max: number;
  #used = 0;
  #head: Http1ResponseHead | undefined;

  /** Builds a reader of heads that together hold at most `max` bytes. */
  constructor(max: number) {
    this.#max = max;
  }

  /**
   * Reads from `chunk` at `from`. Returns the index after the head, with the head in
   * {@linkcode HeadReader.take}, or -1 when the chunk ended first. Throws a `ProtocolError` on
   * a malformed line or a head above the limit.
   */
  read(chunk: Uint8Array, from: number): number {
    let at = from;
    while (at < chunk.length) {
      const next = this.#lines.read(chunk, at, this.#max - this.#used, "response head", this.#max);
      if (next === -1) return -1;
      this.#used += next - at;
      at = next;
      if (this.#line(this.#lines.line)) return at;
    }
    return -1;
  }

  /** The head just read; the reader is then ready for the next one. */
  take(): Http1ResponseHead {
    const head = this.#head!;
    this.#head = undefined;
    return head;
  }

  /** Whether no byte of a head has been read since the last one ended. */
  get idle(): boolean {
    return this.#head === undefined && this.#lines.pending === 0;
  }

  /** Takes one line; true when it ends the head. */
  #line(line: string): boolean {
    if (this.#head === undefined) {
      this.#head = statusLine(line);
      return false;
    }
    if (line === "") return true;
    const field = parseFieldLine(line);
    if (typeof field === "string") throw malformed(`${field} in the response head`);
    this.#head.headers.push(field);
    return false;
  }
}

function statusLine(line: string): Http1ResponseHead {
  const status = parseStatusLine(line);
  if (status === undefined) {
    throw malformed(`an invalid status line ${JSON.stringify(line.slice(0, 80))}`);
  }
  if (status.status < 100 || status.status > 599) {
    throw malformed(`an invalid status code ${status.status}`);
  }
  return {
    version: status.minor === 0 ? "1.0" : "1.1",
    status: status.status,
    statusText: status.statusText,
    headers: [],
  };
}
