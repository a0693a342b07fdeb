// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * The byte duplex an HTTP/1.1 exchange runs over: what `sandbox.connect(port)` returns, and
 * what Cloudflare's `connect()` and a wrapped Deno `TcpConn` provide. Only these members are
 * used; the exchange closes the socket when the response ends, fails or is cancelled.
 *
 * @example A socket over a pair of streams
 * ```ts
 * import type { Http1Socket } from "@microsandbox/edge/http1";
 *
 * function socketOf(
 *   readable: ReadableStream<Uint8Array>,
 *   writable: WritableStream<Uint8Array>,
 * ): Http1Socket {
 *   return { readable, writable, close: () => writable.abort().catch(() => {}) };
 * }
 * ```
 */
export interface Http1Socket {
  /** The bytes from the server. */
  readonly readable: ReadableStream<Uint8Array>;
  /** The bytes to the server; a write resolves once the socket took the chunk. */
  readonly writable: WritableStream<Uint8Array>;
  /** Closes both directions; may be called more than once. */
  close(): Promise<void>;
}
