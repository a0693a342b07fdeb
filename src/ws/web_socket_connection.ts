// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * How a WebSocket connection ended: the close code and reason of the closing handshake.
 *
 * @example Usage
 * ```ts
 * import type { WebSocketCloseInfo } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const info: WebSocketCloseInfo = { closeCode: 1000, reason: "done" };
 * assert.equal(info.closeCode, 1000);
 * ```
 */
export interface WebSocketCloseInfo {
  /** The close code: the server's, 1005 when its close frame had none. */
  closeCode: number;
  /** The reason, empty when none was given. */
  reason: string;
}

/**
 * The streams of an open WebSocket connection, as the `opened` of a `WebSocketStream` gives.
 *
 * @example Usage
 * ```ts
 * import type { WebSocketOpenInfo } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const info: WebSocketOpenInfo = {
 *   readable: ReadableStream.from(["hello"]),
 *   writable: new WritableStream(),
 *   protocol: "",
 * };
 * assert.equal(info.protocol, "");
 * ```
 */
export interface WebSocketOpenInfo {
  /** The server's messages: text as strings, binary as bytes, each only as fast as you read. */
  readable: ReadableStream<string | Uint8Array>;
  /** Messages to the server, one per write; closing it starts the closing handshake. */
  writable: WritableStream<string | Uint8Array>;
  /** The subprotocol the server chose, empty when none. */
  protocol: string;
}

/**
 * A client WebSocket over a byte connection, in the shape of the Web's `WebSocketStream`.
 *
 * - `opened` resolves once the server has accepted the upgrade, and rejects with a
 *   `ProtocolError` when it answers anything but a valid 101.
 * - `closed` resolves with the close code and reason once the closing handshake is done, and
 *   rejects when the connection ends without one (a `ConnectionError`) or when the server breaks
 *   RFC 6455 (a `ProtocolError`, after which the connection is failed with 1002, 1007 or 1009).
 * - `close()` starts the closing handshake (code 1000 unless given); a server that does not
 *   answer it within the close timeout (`closeTimeoutMs` of `sandbox.webSocket`, 10 s by
 *   default) has the connection closed under it, and `closed` rejects with a `ConnectionError`.
 *
 * Pings are answered with a pong of the same payload; when pings come faster than the socket
 * takes pongs, one pong waits at a time and, after it, the latest ping is answered (RFC 6455
 * §5.5.3). Pongs are dropped; messages are bounded in size.
 *
 * @example Usage
 * ```ts
 * import type { WebSocketConnection } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * function closeWhenOpen(ws: WebSocketConnection): Promise<void> {
 *   return ws.opened.then(() => ws.close({ closeCode: 1000, reason: "done" }));
 * }
 * assert.equal(typeof closeWhenOpen, "function");
 * ```
 */
export interface WebSocketConnection {
  /** The streams, once the server has accepted the upgrade. */
  readonly opened: Promise<WebSocketOpenInfo>;
  /** How the connection ended. */
  readonly closed: Promise<WebSocketCloseInfo>;
  /** Starts the closing handshake; `closed` tells when it is done. */
  close(info?: Partial<WebSocketCloseInfo>): void;
}
