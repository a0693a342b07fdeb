// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * Options of `sandbox.webSocket`.
 *
 * @example Offer two subprotocols, bound the messages and the time
 * ```ts
 * import type { SandboxWebSocketOptions } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const options: SandboxWebSocketOptions = {
 *   protocols: ["graphql-transport-ws", "graphql-ws"],
 *   maxMessageSize: 1024 * 1024,
 *   signal: AbortSignal.timeout(60_000),
 * };
 * assert.equal(options.protocols?.length, 2);
 * ```
 */
export interface SandboxWebSocketOptions {
  /** The subprotocols to offer, in order of preference (`Sec-WebSocket-Protocol`). */
  protocols?: readonly string[];
  /**
   * The most bytes a message from the server may take (each frame too); a larger one fails the
   * connection with 1009 and a `ProtocolError`.
   *
   * @default {16777216}
   */
  maxMessageSize?: number;
  /**
   * How long, in milliseconds, `close()` waits for the server's close frame once it has sent its
   * own; past it, the connection (its TCP tunnel too) is closed and `closed` rejects with a
   * `ConnectionError`. A server answers a close at once (RFC 6455 §5.5.1), at worst after the
   * message it is sending, so ten seconds leaves a slow or busy server ample time while a server
   * that never answers still frees its tunnel soon. At most 2147483647 (a timer's limit).
   *
   * @default {10000}
   */
  closeTimeoutMs?: number;
  /** Closes the connection (its TCP tunnel too) when it aborts. */
  signal?: AbortSignal;
}
