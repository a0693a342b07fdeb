// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { type BodyFraming, bodyFraming } from "./_body_framing.ts";
import { ChunkedBody } from "./_chunked_body.ts";
import { HeadReader } from "./_head_reader.ts";
import type { Http1ResponseHead } from "./http1_response_head.ts";
import { malformed } from "./_malformed.ts";

/**
 * The default of {@linkcode Http1ResponseParserOptions.maxHeadSize}: 64 KiB.
 *
 * @example A head just too large
 * ```ts
 * import { ProtocolError } from "@microsandbox/edge";
 * import { DEFAULT_HTTP1_MAX_HEAD_SIZE, Http1ResponseParser } from "@microsandbox/edge/http1";
 * import assert from "node:assert/strict";
 *
 * const parser = new Http1ResponseParser({ onHead() {}, onBody() {}, onEnd() {} });
 * const big = `HTTP/1.1 200 OK\r\nX: ${"y".repeat(DEFAULT_HTTP1_MAX_HEAD_SIZE)}\r\n\r\n`;
 * assert.throws(() => parser.feed(new TextEncoder().encode(big)), ProtocolError);
 * ```
 */
export const DEFAULT_HTTP1_MAX_HEAD_SIZE = 64 * 1024;

/**
 * What {@linkcode Http1ResponseParser} reports, in this order: interim heads, the final head,
 * body pieces, the end.
 *
 * @example Collecting a response
 * ```ts
 * import type { Http1ResponseHead, Http1ResponseParserCallbacks } from "@microsandbox/edge/http1";
 *
 * let head: Http1ResponseHead | undefined;
 * const body: Uint8Array[] = [];
 * const callbacks: Http1ResponseParserCallbacks = {
 *   onHead: (h) => head = h,
 *   onBody: (bytes) => body.push(bytes.slice()),
 *   onEnd: () => console.log(head?.status, body.length),
 * };
 * ```
 */
export interface Http1ResponseParserCallbacks {
  /** Receives each 1xx interim head (100 Continue, 103 Early Hints, ...); 101 is refused. */
  onInformational?(head: Http1ResponseHead): void;
  /** Receives the final head, once. */
  onHead(head: Http1ResponseHead): void;
  /** Receives the body, piece by piece: views of the fed chunks, valid until the next feed. */
  onBody(bytes: Uint8Array): void;
  /** Called once the body is complete (right after `onHead` when there is none). */
  onEnd(): void;
}

/**
 * Options of {@linkcode Http1ResponseParser}.
 *
 * @example The answer to a HEAD request, with a smaller head limit
 * ```ts
 * import type { Http1ResponseParserOptions } from "@microsandbox/edge/http1";
 *
 * const options: Http1ResponseParserOptions = { method: "HEAD", maxHeadSize: 16 * 1024 };
 * ```
 */
export interface Http1ResponseParserOptions {
  /** The method of the request, `GET` by default: the answer to `HEAD` has no body. */
  method?: string;
  /**
   * The most bytes the heads may take, interim ones included, and separately the trailer
   * section of a chunked body; 64 KiB ({@linkcode DEFAULT_HTTP1_MAX_HEAD_SIZE}) by default.
   */
  maxHeadSize?: number;
}

type Phase = "head" | "body" | "done" | "failed";

/**
 * The push parser of one HTTP/1.1 response (RFC 9112), however its bytes are split. The head is
 * checked line by line as it arrives: the status line (HTTP/1.0 or 1.1, a status from 100 to
 * 599), field names that are tokens, values without control characters, no obs-fold, no
 * whitespace before a colon, CR only before LF (a bare LF ends a line too). Interim 1xx heads
 * are reported and skipped; a 101 is refused, as no upgrade is asked for. The body is then
 * delimited as RFC 9112 §6.3 says: none for HEAD, 204, 205 and 304; `chunked` (extensions and
 * trailers checked and dropped); `Content-Length` (repeated values must agree, never with
 * Transfer-Encoding); or the end of the input. The body is handed out as views, never gathered.
 *
 * Every violation, a head above `maxHeadSize`, and an input that ends before the response does
 * are a `ProtocolError`, after which the parser refuses every feed. Bytes after the end of the
 * response are ignored (the exchange asks for `Connection: close`).
 *
 * @example A chunked response split anywhere
 * ```ts
 * import { Http1ResponseParser } from "@microsandbox/edge/http1";
 * import assert from "node:assert/strict";
 *
 * let status = 0;
 * let body = "";
 * let ended = false;
 * const parser = new Http1ResponseParser({
 *   onHead: (head) => status = head.status,
 *   onBody: (bytes) => body += new TextDecoder().decode(bytes),
 *   onEnd: () => ended = true,
 * });
 * const bytes = new TextEncoder().encode(
 *   "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
 *     "5;ext=1\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n",
 * );
 * parser.feed(bytes.subarray(0, 40));
 * parser.feed(bytes.subarray(40));
 * parser.end();
 * assert.deepEqual([status, body, ended], [200, "hello", true]);
 * ```
 */
export class Http1ResponseParser {
  readonly #callbacks: Http1ResponseParserCallbacks;
  readonly #method: string;
  readonly #maxHeadSize: number;
  readonly #head: HeadReader;
  #phase: Phase = "head";
  #framing: BodyFraming = { kind: "none" };
  #left = 0;
  #chunked: ChunkedBody | undefined;

  /**
   * Builds the parser.
   *
   * @param callbacks Where the heads, the body and the end go.
   * @param options The request's method and the head limit.
   */
  constructor(callbacks: Http1ResponseParserCallbacks, options: Http1ResponseParserOptions = {}) {
    this.#callbacks = callbacks;
    this.#method = (options.method ?? "GET").toUpperCase();
    this.#maxHeadSize = options.maxHeadSize ?? DEFAULT_HTTP1_MAX_HEAD_SIZE;
    this.#head = new HeadReader(this.#maxHeadSize);
  }

  /** Whether the response is complete. */
  get done(): boolean {
    return this.#phase === "done";
  }

  /**
   * Parses the next bytes of the response.
   *
   * @param chunk The bytes; the body pieces reported are views of it.
   * @throws {ProtocolError} When the response breaks HTTP/1.1 or a limit, or after such an error.
   */
  feed(chunk: Uint8Array): void {
    this.#guard(() => {
      let at = 0;
      while (at < chunk.length && this.#phase !== "done") {
        at = this.#phase === "head" ? this.#readHead(chunk, at) : this.#readBody(chunk, at);
        if (at === -1) return;
      }
    });
  }

  /**
   * Tells the parser that the input ended: the end of a close-delimited body.
   *
   * @throws {ProtocolError} When the response is not complete (or failed before).
   */
  end(): void {
    this.#guard(() => {
      if (this.#phase === "done") return;
      if (this.#phase === "body" && this.#framing.kind === "close") return this.#finish();
      throw malformed(this.#cut());
    });
  }

  #guard(work: () => void): void {
    if (this.#phase === "failed") throw malformed("the response was already malformed");
    try {
      work();
    } catch (error) {
      this.#phase = "failed";
      throw error;
    }
  }

  #readHead(chunk: Uint8Array, at: number): number {
    const next = this.#head.read(chunk, at);
    if (next === -1) return -1;
    const head = this.#head.take();
    if (head.status === 101) throw malformed("101 Switching Protocols, but no upgrade was asked");
    if (head.status < 200) {
      this.#callbacks.onInformational?.(head);
      return next;
    }
    this.#framing = bodyFraming(head, this.#method);
    this.#phase = "body";
    this.#callbacks.onHead(head);
    if (this.#framing.kind === "none") this.#finish();
    if (this.#framing.kind === "length") this.#left = this.#framing.length;
    if (this.#framing.kind === "length" && this.#left === 0) this.#finish();
    if (this.#framing.kind === "chunked") {
      this.#chunked = new ChunkedBody((bytes) => this.#callbacks.onBody(bytes), this.#maxHeadSize);
    }
    return next;
  }

  #readBody(chunk: Uint8Array, at: number): number {
    if (this.#framing.kind === "chunked") {
      const next = this.#chunked!.read(chunk, at);
      if (next !== -1) this.#finish();
      return next;
    }
    const end = this.#framing.kind === "length"
      ? Math.min(chunk.length, at + this.#left)
      : chunk.length;
    this.#left -= end - at;
    if (end > at) this.#callbacks.onBody(chunk.subarray(at, end));
    if (this.#framing.kind === "length" && this.#left === 0) this.#finish();
    return end;
  }

  #finish(): void {
    this.#phase = "done";
    this.#callbacks.onEnd();
  }

  #cut(): string {
    if (this.#phase === "head") {
      return this.#head.idle
        ? "the connection closed before a response head"
        : "the connection closed inside the response head";
    }
    if (this.#framing.kind === "length") {
      return `the connection closed ${this.#left} bytes before the end of the body`;
    }
    return "the connection closed inside the chunked body";
  }
}
