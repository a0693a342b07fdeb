// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * HTTP/1.1 over any byte duplex, with Web APIs only: {@linkcode fetchHttp1} sends a `Request`
 * over a socket (what `sandbox.connect(port)` returns, Cloudflare's `connect()`, a wrapped Deno
 * `TcpConn`) and resolves with a standard `Response` whose body streams from the socket.
 * {@linkcode Http1ResponseParser} is its push-parser core: strict RFC 9112 framing, a bounded
 * head, every violation a `ProtocolError`.
 *
 * ```ts
 * import { fetchHttp1 } from "@microsandbox/edge/http1";
 * import assert from "node:assert/strict";
 *
 * const answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n";
 * const socket = {
 *   readable: ReadableStream.from([new TextEncoder().encode(answer)]),
 *   writable: new WritableStream<Uint8Array>(),
 *   close: () => Promise.resolve(),
 * };
 * const response = await fetchHttp1(socket, new Request("http://sandbox/"));
 * assert.equal(await response.text(), "hi");
 * ```
 *
 * @module
 */

export { fetchHttp1, type FetchHttp1Options } from "./fetch_http1.ts";
export type { Http1ResponseHead } from "./http1_response_head.ts";
export {
  DEFAULT_HTTP1_MAX_HEAD_SIZE,
  Http1ResponseParser,
  type Http1ResponseParserCallbacks,
  type Http1ResponseParserOptions,
} from "./http1_response_parser.ts";
export type { Http1Socket } from "./http1_socket.ts";
