// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * The head of an HTTP/1.1 response, as {@linkcode Http1ResponseParser} reports it: checked
 * against RFC 9112, field values trimmed, fields in the order received.
 *
 * @example A head with two fields
 * ```ts
 * import type { Http1ResponseHead } from "@microsandbox/edge/http1";
 *
 * const head: Http1ResponseHead = {
 *   version: "1.1",
 *   status: 200,
 *   statusText: "OK",
 *   headers: [["Content-Type", "text/plain"], ["Content-Length", "2"]],
 * };
 * ```
 */
export interface Http1ResponseHead {
  /** The HTTP version of the status line: `1.0` or `1.1`. */
  version: "1.0" | "1.1";
  /** The status code, 100 to 599. */
  status: number;
  /** The reason phrase, empty when the server sent none. */
  statusText: string;
  /** The fields as `[name, value]` pairs, names as sent, in order, repeated names kept. */
  headers: [string, string][];
}
