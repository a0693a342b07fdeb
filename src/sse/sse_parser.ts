// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ProtocolError } from "../errors.ts";
import type { SseEvent } from "./sse_event.ts";

/**
 * The default of {@linkcode SseParserOptions.maxBufferSize}: 1 MiB.
 *
 * @example Raise the limit for a stream of large events
 * ```ts
 * import { ProtocolError } from "@microsandbox/edge";
 * import { DEFAULT_SSE_MAX_BUFFER_SIZE, SseDecoderStream } from "@microsandbox/edge/sse";
 * import assert from "node:assert/strict";
 *
 * const big = new TextEncoder().encode(`data: ${"x".repeat(DEFAULT_SSE_MAX_BUFFER_SIZE)}\n\n`);
 * const strict = ReadableStream.from([big]).pipeThrough(new SseDecoderStream());
 * await assert.rejects(Array.fromAsync(strict), ProtocolError);
 *
 * const roomy = ReadableStream.from([big])
 *   .pipeThrough(new SseDecoderStream({ maxBufferSize: 2 * DEFAULT_SSE_MAX_BUFFER_SIZE }));
 * const [event] = await Array.fromAsync(roomy);
 * assert.equal(event?.data.length, DEFAULT_SSE_MAX_BUFFER_SIZE);
 * ```
 */
export const DEFAULT_SSE_MAX_BUFFER_SIZE = 1024 * 1024;

const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;
const D = 100;
const E = 101;
const I = 105;
const R = 114;
const BOM = "\uFEFF";

/**
 * What {@linkcode SseParser} reports.
 *
 * @example Collecting events, retries and comments
 * ```ts
 * import type { SseEvent, SseParserCallbacks } from "@microsandbox/edge/sse";
 *
 * const events: SseEvent[] = [];
 * const callbacks: SseParserCallbacks = {
 *   onEvent: (event) => events.push(event),
 *   onRetry: (ms) => console.log("reconnect after", ms),
 *   onComment: (text) => console.log("comment", text),
 * };
 * ```
 */
export interface SseParserCallbacks {
  /** Receives every dispatched event, in order. A throw propagates out of `feed`. */
  onEvent(event: SseEvent): void;
  /** Receives each valid `retry` field (all ASCII digits) as soon as its line ends. */
  onRetry?(ms: number): void;
  /** Receives each comment line's text after the `:`, one leading space removed. */
  onComment?(text: string): void;
}

/**
 * Options of {@linkcode SseParser} and `SseDecoderStream`.
 *
 * @example Accepting `event: end` without data
 * ```ts
 * import type { SseParserOptions } from "@microsandbox/edge/sse";
 *
 * const options: SseParserOptions = { dispatchEmpty: true, maxBufferSize: 64 * 1024 };
 * ```
 */
export interface SseParserOptions {
  /**
   * The most characters one line, and the data of one event, may hold; 1 MiB
   * ({@linkcode DEFAULT_SSE_MAX_BUFFER_SIZE}) by default. More is a `ProtocolError`.
   */
  maxBufferSize?: number;
  /**
   * Also dispatch an event that has fields but no `data` line (such as msb-cloud's
   * `event: end`), with `data: ""`. Off by default, as the WHATWG rules drop such events. A blank
   * line with no field before it never dispatches.
   */
  dispatchEmpty?: boolean;
}

/**
 * The push parser of `text/event-stream` text, following the WHATWG rules, however the text is
 * split: CR, LF and CRLF line ends (a CRLF split between two feeds is one line end), one leading
 * BOM dropped, comments, a field without a colon, one leading space stripped from a value,
 * multi-line `data`, an `id` holding NUL ignored, `retry` only when all digits, the last event ID
 * carried to later events, and an event without data not dispatched (unless `dispatchEmpty`).
 *
 * The work is linear in the input whatever the split: each feed is scanned once with `indexOf`
 * from where the previous line ended (a blank line, and an `event` line repeating the last type,
 * are recognised without a search), and the start of a line that is not complete yet is parked
 * as fragments, joined once when its end arrives. A line or an event's data longer than
 * `maxBufferSize` throws a `ProtocolError`, after which the parser refuses every feed until
 * {@linkcode SseParser.prototype.reset}.
 *
 * @example Events split anywhere
 * ```ts
 * import { type SseEvent, SseParser } from "@microsandbox/edge/sse";
 * import assert from "node:assert/strict";
 *
 * const events: SseEvent[] = [];
 * const parser = new SseParser({ onEvent: (event) => events.push(event) });
 * parser.feed("id: 1\nevent: log\ndata: hel");
 * parser.feed("lo\r");
 * parser.feed("\n\r\ndata: again\n\n");
 * parser.end();
 * assert.deepEqual(events, [
 *   { id: "1", event: "log", data: "hello", retry: undefined },
 *   { id: "1", event: "message", data: "again", retry: undefined },
 * ]);
 * ```
 */
export class SseParser {
  readonly #callbacks: SseParserCallbacks;
  readonly #maxBufferSize: number;
  readonly #dispatchEmpty: boolean;
  /** The parts of the current line received so far, when it spans feeds. */
  #fragments: string[] = [];
  #fragmentsLength = 0;
  /** Whether the last feed ended with CR, so that a leading LF of the next one is skipped. */
  #afterCr = false;
  /** Whether no text has been seen yet, so that one BOM is still to be dropped. */
  #atStart = true;
  /** The data lines of the current event so far, joined by LF. */
  #data = "";
  /** Whether the current event has had a `data` field. */
  #hasData = false;
  #event = "";
  /** The last `event` value seen, reused while the next ones are the same. */
  #lastType = "";
  /** `event: ` and the last type: the usual `event` line, recognised with one comparison. */
  #lastTypeLine = "event: ";
  #retry: number | undefined;
  /** Whether the current event has had a field (for `dispatchEmpty`). */
  #hasField = false;
  /** The id the current event will carry (WHATWG's last event ID buffer). */
  #idBuffer: string | undefined;
  /** The id of the last dispatch; the cut event's id never reaches it. */
  #lastEventId: string | undefined;
  /** The error that stopped the parser. */
  #failure: unknown;

  /**
   * Builds a parser.
   *
   * @param callbacks Receive events, retries and comments.
   * @param options The buffer limit and whether to dispatch events without data.
   */
  constructor(callbacks: SseParserCallbacks, options: SseParserOptions = {}) {
    const maxBufferSize = options.maxBufferSize ?? DEFAULT_SSE_MAX_BUFFER_SIZE;
    if (!Number.isInteger(maxBufferSize) || maxBufferSize < 1) {
      throw new RangeError(`maxBufferSize must be a positive integer, got ${maxBufferSize}`);
    }
    this.#callbacks = callbacks;
    this.#maxBufferSize = maxBufferSize;
    this.#dispatchEmpty = options.dispatchEmpty ?? false;
  }

  /**
   * The last event ID: the latest `id` field of an event that ended (at its blank line, as the
   * WHATWG rules say; an event cut before it changes nothing), kept across
   * {@linkcode SseParser.prototype.end} (send it as `Last-Event-ID` when reconnecting).
   *
   * @returns The ID, or `undefined` when none was sent.
   */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /**
   * Parses the next text of the stream, calling the callbacks for what it completes.
   *
   * @param text The next characters, already decoded.
   * @throws {ProtocolError} When a line or an event's data exceeds `maxBufferSize`; from then on,
   * until {@linkcode SseParser.prototype.reset}.
   */
  feed(text: string): void {
    if (this.#failure !== undefined) throw this.#failure;
    try {
      this.#scan(text);
    } catch (error) {
      this.#failure = error;
      throw error;
    }
  }

  /**
   * Declares the end of the stream: a line or an event not terminated yet is dropped, its `id`
   * included, as the WHATWG rules say. The last event ID is kept; the next feed starts a new
   * stream (which may begin with a BOM again), as after a reconnection.
   *
   * @throws {ProtocolError} When the parser had stopped on an error.
   */
  end(): void {
    if (this.#failure !== undefined) throw this.#failure;
    this.#fragments = [];
    this.#fragmentsLength = 0;
    this.#afterCr = false;
    this.#atStart = true;
    this.#idBuffer = this.#lastEventId;
    this.#clearEvent();
  }

  /** Forgets everything, the last event ID and a previous error included. */
  reset(): void {
    this.#failure = undefined;
    this.#lastEventId = undefined;
    this.end();
  }

  /** Cuts `text` into lines, parking an incomplete last line. */
  #scan(text: string): void {
    const length = text.length;
    let at = 0;
    if (this.#atStart && length > 0) {
      this.#atStart = false;
      if (text.startsWith(BOM)) at = 1;
    }
    if (this.#afterCr && at < length) {
      this.#afterCr = false;
      if (text.charCodeAt(at) === LF) at++;
    }
    // The next CR and LF at or after `at`; `length` when there is none. Each is searched again
    // only once passed, so the text is scanned at most twice whatever its lines.
    let cr = -1;
    let lf = -1;
    while (at < length) {
      let end = this.#fragmentsLength === 0 ? this.#knownLine(text, at) : -1;
      if (end < 0) {
        if (cr < at) cr = indexOrEnd(text, "\r", at);
        if (lf < at) lf = indexOrEnd(text, "\n", at);
        end = cr < lf ? cr : lf;
        if (end === length) break;
        if (this.#fragmentsLength === 0) {
          if (end - at > this.#maxBufferSize) this.#tooLong("a line");
          this.#line(text, at, end);
        } else {
          const line = this.#joinLine(text, at, end);
          this.#line(line, 0, line.length);
        }
      }
      if (text.charCodeAt(end) === LF) {
        at = end + 1;
      } else if (end + 1 === length) {
        this.#afterCr = true;
        return;
      } else {
        at = text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
      }
    }
    if (at < length) this.#park(at === 0 ? text : text.slice(at));
  }

  /**
   * Interprets the line at `start` when its end is known without searching for it, and returns
   * that end, else -1. Two of the usual four lines of an event qualify, which saves half the
   * searches: the blank line that ends it, and `event: <the last type>` followed by a line end
   * (the last type holds no CR or LF, so that line end is the first one).
   */
  #knownLine(text: string, start: number): number {
    const first = text.charCodeAt(start);
    if (first === LF || first === CR) {
      this.#dispatch();
      return start;
    }
    if (first !== E) return -1;
    const line = this.#lastTypeLine;
    const end = start + line.length;
    if (!isLineEnd(text.charCodeAt(end)) || !text.startsWith(line, start)) return -1;
    if (end - start > this.#maxBufferSize) this.#tooLong("a line");
    this.#event = this.#lastType;
    this.#hasField = true;
    return end;
  }

  /** The parked fragments followed by `text[start, end)`, as one string. */
  #joinLine(text: string, start: number, end: number): string {
    if (this.#fragmentsLength + end - start > this.#maxBufferSize) this.#tooLong("a line");
    this.#fragments.push(text.slice(start, end));
    const line = this.#fragments.join("");
    this.#fragments = [];
    this.#fragmentsLength = 0;
    return line;
  }

  /** Keeps the start of a line until its end arrives. */
  #park(fragment: string): void {
    this.#fragmentsLength += fragment.length;
    if (this.#fragmentsLength > this.#maxBufferSize) this.#tooLong("a line");
    this.#fragments.push(fragment);
  }

  /**
   * Interprets the complete line `text[start, end)`. The field name is recognised in place, by its
   * first character, then its other characters and the `:` (or the line end) after it, so no
   * substring is built but the value of a known field.
   */
  #line(text: string, start: number, end: number): void {
    if (start === end) return this.#dispatch();
    switch (text.charCodeAt(start)) {
      case COLON:
        if (this.#callbacks.onComment !== undefined) {
          const from = text.charCodeAt(start + 1) === SPACE && start + 1 < end
            ? start + 2
            : start + 1;
          this.#callbacks.onComment(text.slice(from, end));
        }
        return;
      case D: {
        const from = valueStart(text, start, end, "data");
        if (from < 0) return;
        const value = text.slice(from, end);
        if (this.#hasData) {
          if (this.#data.length + 1 + value.length > this.#maxBufferSize) {
            this.#tooLong("the data of an event");
          }
          this.#data = this.#data + "\n" + value;
        } else {
          if (value.length > this.#maxBufferSize) this.#tooLong("the data of an event");
          this.#data = value;
          this.#hasData = true;
        }
        break;
      }
      case E: {
        const from = valueStart(text, start, end, "event");
        if (from < 0) return;
        // The same type as the previous event's (the usual case) is reused, not sliced again.
        const last = this.#lastType;
        if (end - from === last.length && text.startsWith(last, from)) {
          this.#event = last;
        } else {
          this.#event = this.#lastType = text.slice(from, end);
          this.#lastTypeLine = `event: ${this.#lastType}`;
        }
        break;
      }
      case I: {
        const from = valueStart(text, start, end, "id");
        if (from < 0) return;
        const value = text.slice(from, end);
        if (value.includes("\0")) return;
        this.#idBuffer = value;
        break;
      }
      case R: {
        const from = valueStart(text, start, end, "retry");
        if (from < 0) return;
        const value = text.slice(from, end);
        if (!/^[0-9]+$/.test(value)) return;
        this.#retry = Number(value);
        this.#callbacks.onRetry?.(this.#retry);
        break;
      }
      default:
        return;
    }
    this.#hasField = true;
  }

  /** Hands out the current event at a blank line, if it has data (or any field, with `dispatchEmpty`). */
  #dispatch(): void {
    this.#lastEventId = this.#idBuffer;
    if (!this.#hasData && !(this.#dispatchEmpty && this.#hasField)) return this.#clearEvent();
    const event: SseEvent = {
      id: this.#lastEventId,
      event: this.#event === "" ? "message" : this.#event,
      data: this.#data,
      retry: this.#retry,
    };
    this.#clearEvent();
    this.#callbacks.onEvent(event);
  }

  /** Starts a new event. */
  #clearEvent(): void {
    this.#data = "";
    this.#hasData = false;
    this.#event = "";
    this.#retry = undefined;
    this.#hasField = false;
  }

  /** Throws the buffer limit error. */
  #tooLong(what: string): never {
    throw new ProtocolError(
      `Cannot decode SSE: ${what} exceeds the ${this.#maxBufferSize}-character limit ` +
        "(maxBufferSize); raise maxBufferSize if the server sends larger events",
    );
  }
}

/** Whether `code` ends a line. */
function isLineEnd(code: number): boolean {
  return code === LF || code === CR;
}

/** The index of `search` in `text` from `from`, or `text.length` when absent. */
function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index < 0 ? text.length : index;
}

/**
 * Where the value starts when the line `text[start, end)` is the field `name` (`name` alone, or
 * `name:` and the value, one leading space dropped), else -1.
 */
function valueStart(text: string, start: number, end: number, name: string): number {
  const after = start + name.length;
  if (after > end || !text.startsWith(name, start)) return -1;
  if (after === end) return end;
  if (text.charCodeAt(after) !== COLON) return -1;
  return after + 1 < end && text.charCodeAt(after + 1) === SPACE ? after + 2 : after + 1;
}
