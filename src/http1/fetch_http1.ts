// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ProtocolError } from "../errors.ts";
import type { Http1Socket } from "./http1_socket.ts";
import type { Http1ResponseHead } from "./http1_response_head.ts";
import { DEFAULT_HTTP1_MAX_HEAD_SIZE } from "./http1_response_parser.ts";
import { RequestBodyError } from "./_request_body.ts";
import { writeRequest } from "./_request_writer.ts";
import { readResponse } from "./_response_reader.ts";

/**
 * Options of {@linkcode fetchHttp1}.
 *
 * @example A smaller bound on the response head
 * ```ts
 * import type { FetchHttp1Options } from "@microsandbox/edge/http1";
 *
 * const options: FetchHttp1Options = { maxHeadSize: 16 * 1024 };
 * ```
 */
export interface FetchHttp1Options {
  /**
   * The most bytes the response heads may take (interim 1xx heads included), and separately the
   * trailers of a chunked body; 64 KiB by default. More is a `ProtocolError`.
   */
  maxHeadSize?: number;
}

/**
 * Sends `request` over `socket` as one HTTP/1.1 exchange and resolves with the response as soon
 * as its head is in; the socket is closed when the response body ends, fails or is cancelled.
 *
 * The request goes out as its method and the path and query of its URL, `Host` from the URL,
 * its fields minus the hop-by-hop ones (`Connection`, `Keep-Alive`, `Proxy-*`, `TE`, `Trailer`,
 * `Transfer-Encoding`, `Upgrade` and those `Connection` names), and `Connection: close`. Its
 * body is streamed with backpressure: with the `Content-Length` the request declares, else the
 * length when it ends within 64 KiB, else chunked. The body is written while the response is
 * read, so a server may answer early.
 *
 * The response follows {@linkcode Http1ResponseParser}: 1xx heads skipped, no body for HEAD,
 * 204, 205 and 304, bodies by length, chunked or to the close, streamed (one socket read per
 * pull, never gathered). Redirects are returned as they are, never followed. Errors: a
 * `ProtocolError` for every malformed answer (also a status a `Response` cannot carry), a
 * `ConnectionError` when the socket fails, the request body's own error when it fails, and the
 * signal's reason when `request.signal` aborts, which also closes the socket, as cancelling the
 * response body does.
 *
 * @param socket The connection, fresh; this exchange owns it from now on.
 * @param request The request; its URL gives the target and `Host`.
 * @param options The head limit.
 * @returns The response, its body still streaming from the socket.
 * @example A GET over a socket made of two streams
 * ```ts
 * import { fetchHttp1 } from "@microsandbox/edge/http1";
 * import assert from "node:assert/strict";
 *
 * const sent: Uint8Array[] = [];
 * const answer = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
 * const socket = {
 *   readable: ReadableStream.from([new TextEncoder().encode(answer)]),
 *   writable: new WritableStream<Uint8Array>({ write: (chunk) => void sent.push(chunk) }),
 *   close: () => Promise.resolve(),
 * };
 * const response = await fetchHttp1(socket, new Request("http://localhost:8000/?q=1"));
 * assert.equal(response.status, 200);
 * assert.equal(await response.text(), "hello");
 * const head = new TextDecoder().decode(sent[0]);
 * assert.equal(head, "GET /?q=1 HTTP/1.1\r\nHost: localhost:8000\r\nConnection: close\r\n\r\n");
 * ```
 */
export async function fetchHttp1(
  socket: Http1Socket,
  request: Request,
  options: FetchHttp1Options = {},
): Promise<Response> {
  let failure: unknown;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    request.signal.removeEventListener("abort", abort);
    socket.close().catch(() => {});
  };
  const fail = (error: unknown) => {
    failure ??= error;
    close();
  };
  const abort = () => fail(request.signal.reason);
  if (request.signal.aborted) {
    abort();
    throw failure;
  }
  request.signal.addEventListener("abort", abort);
  writeRequest(socket.writable, request).catch((error) => {
    if (error instanceof RequestBodyError) fail(error.cause);
  });
  const { head, body } = await readResponse(socket.readable, {
    method: request.method,
    maxHeadSize: options.maxHeadSize ?? DEFAULT_HTTP1_MAX_HEAD_SIZE,
    failure: () => failure,
    close,
  });
  return responseOf(head, body, close);
}

function responseOf(
  head: Http1ResponseHead,
  body: ReadableStream<Uint8Array> | null,
  close: () => void,
): Response {
  try {
    const headers = new Headers();
    for (const [name, value] of head.headers) headers.append(name, value);
    return new Response(body, { status: head.status, statusText: head.statusText, headers });
  } catch (cause) {
    close();
    body?.cancel().catch(() => {});
    throw new ProtocolError(
      `Cannot read the HTTP/1.1 response: a Response cannot carry status ${head.status}`,
      { cause },
    );
  }
}
