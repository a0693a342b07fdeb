// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { LogCursor } from "./log_cursor.ts";

/**
 * Where a log line comes from: a process's stdout or stderr, a terminal's output, or the system.
 *
 * @example A prefix per source
 * ```ts
 * import type { LogSource } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * // A `Record` over the union fails to compile if a source is left out.
 * const prefixes: Record<LogSource, string> = {
 *   stdout: "out",
 *   stderr: "err",
 *   output: "tty",
 *   system: "sys",
 * };
 * const line = (source: LogSource, text: string) => `[${prefixes[source]}] ${text}`;
 * assert.equal(line("stderr", "disk full"), "[err] disk full");
 * ```
 */
export type LogSource = "stdout" | "stderr" | "output" | "system";

/**
 * The sources, in the SDK's order.
 *
 * @example Reading sources from a query string
 * ```ts
 * import { LOG_SOURCES, type LogSource } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * function sourcesOf(url: URL): LogSource[] {
 *   const asked = url.searchParams.getAll("source");
 *   return LOG_SOURCES.filter((source) => asked.includes(source));
 * }
 * const url = new URL("https://app.test/logs?source=stderr&source=bogus&source=stdout");
 * assert.deepEqual(sourcesOf(url), ["stdout", "stderr"]);
 * ```
 */
export const LOG_SOURCES: readonly LogSource[] = ["stdout", "stderr", "output", "system"];

/**
 * The sources to ask for, as the SDK computes them: none means stdout, stderr and output; else
 * the ones given, de-duplicated, in the SDK's order.
 *
 * @param requested The sources asked for.
 * @returns The effective set, in order.
 *
 * @example Usage
 * ```ts
 * import { effectiveLogSources } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(effectiveLogSources([]), ["stdout", "stderr", "output"]);
 * assert.deepEqual(effectiveLogSources(["system", "stdout", "system"]), ["stdout", "system"]);
 * ```
 */
export function effectiveLogSources(requested: readonly LogSource[]): LogSource[] {
  if (requested.length === 0) return ["stdout", "stderr", "output"];
  return LOG_SOURCES.filter((source) => requested.includes(source));
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The fields of a {@linkcode LogEntry}, with its content as bytes or as text.
 *
 * @example Rebuilding entries that were stored as JSON
 * ```ts
 * import { LogCursor, LogEntry, type LogEntryFields } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const stored = { ts: "2026-11-28T10:00:00Z", session: 7, text: "done\n", cursor: "AA==" };
 * const fields: LogEntryFields = {
 *   timestamp: new Date(stored.ts),
 *   source: "stdout",
 *   sessionId: stored.session,
 *   text: stored.text, // or `data: bytes`, when the content is binary
 *   cursor: LogCursor.parse(stored.cursor),
 * };
 * const entry = new LogEntry(fields);
 * assert.equal(entry.sessionId, 7);
 * assert.equal(entry.data.length, 5);
 * ```
 */
export type LogEntryFields =
  & {
    /** When it was written. */
    timestamp: Date;
    /** Where it comes from. */
    source: LogSource;
    /** The exec session that wrote it, when the server says. */
    sessionId: number | undefined;
    /** Where the stream stands after it. */
    cursor: LogCursor;
  }
  & ({ data: Uint8Array; text?: undefined } | { text: string; data?: undefined });

/**
 * One line (or chunk) of a sandbox's log. Its content is kept in the form it came in (msb-cloud
 * sends text) and converted once, on first use, to the other form.
 *
 * @example Usage
 * ```ts
 * import { LogCursor, LogEntry } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const entry = new LogEntry({
 *   timestamp: new Date("2026-11-28T10:00:00Z"),
 *   source: "stdout",
 *   sessionId: undefined,
 *   text: "hi\n",
 *   cursor: LogCursor.EMPTY,
 * });
 * assert.deepEqual(entry.data, new TextEncoder().encode("hi\n"));
 * assert.equal(entry.text(), "hi\n");
 * ```
 */
export class LogEntry {
  /** When it was written. */
  readonly timestamp: Date;
  /** Where it comes from. */
  readonly source: LogSource;
  /** The exec session that wrote it, when the server says. */
  readonly sessionId: number | undefined;
  /** Where the stream stands after it: resume from here to get what follows. */
  readonly cursor: LogCursor;
  #data: Uint8Array | undefined;
  #text: string | undefined;

  /**
   * Builds an entry.
   *
   * @param fields Its timestamp, source, session, cursor, and bytes or text.
   */
  constructor(fields: LogEntryFields) {
    this.timestamp = fields.timestamp;
    this.source = fields.source;
    this.sessionId = fields.sessionId;
    this.cursor = fields.cursor;
    this.#data = fields.data;
    this.#text = fields.text;
  }

  /** Its bytes (UTF-8 of the text, when it came as text). */
  get data(): Uint8Array {
    return this.#data ??= encoder.encode(this.#text);
  }

  /**
   * Its text (the bytes decoded as UTF-8, when it came as bytes).
   *
   * @returns The text.
   */
  text(): string {
    return this.#text ??= decoder.decode(this.#data);
  }
}
