// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ProtocolError } from "../errors.ts";
import type { SseEvent } from "../sse/sse_event.ts";
import { LogCursor } from "./log_cursor.ts";
import { LOG_SOURCES, LogEntry, type LogSource } from "./log_entry.ts";

/**
 * Options of {@linkcode LogEntryStream}.
 *
 * @example Keeping a time window
 * ```ts
 * import { LogEntryStream, type LogEntryStreamOptions } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const log = (ts: string, text: string) => ({
 *   id: "AA==",
 *   event: "log",
 *   data: JSON.stringify({ source: "stdout", ts, text }),
 *   retry: undefined,
 * });
 * const events = [
 *   log("2026-11-28T09:59:00Z", "too early\n"),
 *   log("2026-11-28T10:00:30Z", "kept\n"),
 *   log("2026-11-28T10:01:00Z", "ends the stream\n"),
 * ];
 * const options: LogEntryStreamOptions = {
 *   since: new Date("2026-11-28T10:00:00Z"),
 *   until: new Date("2026-11-28T10:01:00Z"),
 * };
 * const entries = await Array.fromAsync(
 *   ReadableStream.from(events).pipeThrough(new LogEntryStream(options)),
 * );
 * assert.deepEqual(entries.map((entry) => entry.text()), ["kept\n"]);
 * ```
 */
export interface LogEntryStreamOptions {
  /** Drop entries written before this time. */
  since?: Date | undefined;
  /** End the stream at the first entry written at or after this time (it is not passed on). */
  until?: Date | undefined;
}

/**
 * Turns msb-cloud's log events into {@linkcode LogEntry}s: `log` events carry JSON
 * `{source, ts, text}`, `end` ends the stream, other events are ignored; an unknown source is
 * skipped (a newer server may add some); each entry's cursor is its event's `id`.
 *
 * @example Usage
 * ```ts
 * import { LogEntryStream } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const events = [
 *   { id: "AA==", event: "log", data: '{"source":"stdout","ts":"2026-11-28T10:00:00Z","text":"hi\\n"}', retry: undefined },
 *   { id: "AA==", event: "end", data: "", retry: undefined },
 * ];
 * const entries = await Array.fromAsync(ReadableStream.from(events).pipeThrough(new LogEntryStream()));
 * assert.equal(entries.length, 1);
 * assert.equal(entries[0]?.text(), "hi\n");
 * ```
 */
export class LogEntryStream extends TransformStream<SseEvent, LogEntry> {
  /**
   * Builds the stream.
   *
   * @param options The time window to keep.
   */
  constructor(options: LogEntryStreamOptions = {}) {
    super({
      transform(event, controller) {
        if (event.event === "end") return controller.terminate();
        if (event.event !== "log") return;
        const entry = entryOf(event);
        if (!entry) return;
        const verdict = inWindow(entry, options);
        if (verdict === "end") return controller.terminate();
        if (verdict === "keep") controller.enqueue(entry);
      },
    });
  }
}

/**
 * Where an entry stands against `since` and `until`, as the SDK decides: entries before `since`
 * are skipped, the first at or after `until` ends the stream.
 */
export function inWindow(entry: LogEntry, window: LogEntryStreamOptions): "keep" | "skip" | "end" {
  if (window.until && entry.timestamp >= window.until) return "end";
  if (window.since && entry.timestamp < window.since) return "skip";
  return "keep";
}

/** The entry a `log` event carries, or `undefined` for a source this library does not know. */
export function entryOf(event: SseEvent): LogEntry | undefined {
  const payload = parse(event.data);
  const source = payload.source;
  if (!(LOG_SOURCES as readonly string[]).includes(source)) return undefined;
  return new LogEntry({
    timestamp: payload.timestamp,
    source: source as LogSource,
    sessionId: payload.sessionId,
    text: payload.text,
    cursor: LogCursor.parse(event.id ?? ""),
  });
}

function parse(data: string) {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    // The parser's message quotes the payload, which may hold secrets: neither quoted nor kept.
    throw new ProtocolError(
      `invalid cloud log event payload: it is not JSON (${data.length} characters)`,
    );
  }
  const { source, ts, text, session_id } = (json ?? {}) as Record<string, unknown>;
  const timestamp = typeof ts === "string" ? new Date(ts) : new Date(NaN);
  if (typeof source !== "string" || typeof text !== "string" || Number.isNaN(timestamp.getTime())) {
    throw new ProtocolError(
      "invalid cloud log event payload: expected {source, ts, text} " +
        `(${data.length} characters)`,
    );
  }
  const sessionId = typeof session_id === "number" ? session_id : undefined;
  return { source, timestamp, text, sessionId };
}
