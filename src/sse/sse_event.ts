// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * One event of a `text/event-stream`, as an `EventSource` would dispatch it.
 *
 * @example An event from a log stream
 * ```ts
 * import type { SseEvent } from "@microsandbox/edge/sse";
 *
 * const event: SseEvent = { id: "42", event: "log", data: '{"text":"hi"}', retry: undefined };
 * ```
 */
export interface SseEvent {
  /**
   * The last event ID: the value of the latest `id` field of the stream so far (carried over to
   * later events), `""` after an empty `id` field, `undefined` when none was sent.
   */
  id: string | undefined;
  /** The event type: the `event` field, or `"message"` when the event has none. */
  event: string;
  /** The `data` lines of the event joined with `\n`; `""` for an event without data. */
  data: string;
  /** The reconnection time in milliseconds when this event carried a valid `retry` field. */
  retry: number | undefined;
}

/**
 * What `encodeSseEvent` and `SseEncoderStream` write as one event; every field is optional.
 *
 * @example An event that ends a log stream
 * ```ts
 * import type { SseEventInit } from "@microsandbox/edge/sse";
 *
 * const end: SseEventInit = { event: "end" };
 * ```
 */
export interface SseEventInit {
  /** The `id` field; must not hold `\r`, `\n` or NUL. Omitted when `undefined`. */
  id?: string | undefined;
  /** The `event` field; must not hold `\r` or `\n`. Omitted when `undefined` or `"message"`. */
  event?: string | undefined;
  /** The data, written as one `data` line per line of it. Omitted when `undefined`. */
  data?: string | undefined;
  /** The `retry` field, a non-negative integer of milliseconds. Omitted when `undefined`. */
  retry?: number | undefined;
}

/**
 * A comment line (`: text`), which readers ignore; servers send them as heartbeats.
 *
 * @example A heartbeat
 * ```ts
 * import type { SseComment } from "@microsandbox/edge/sse";
 *
 * const heartbeat: SseComment = { comment: "ping" };
 * ```
 */
export interface SseComment {
  /** The comment text; each of its lines becomes a comment line. */
  comment: string;
}
