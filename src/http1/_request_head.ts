// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { stringBytes } from "./_byte_string.ts";
import { endToEndFields } from "./_hop_by_hop.ts";

/** How the request body is delimited on the wire: a length, chunked, or no body at all. */
export type RequestFraming = number | "chunked" | "none";

/** Fields the exchange writes itself, whatever the request holds. */
const OWN = new Set(["host", "content-length"]);

/**
 * The head of `request` in HTTP/1.1: the method, the path and query of its URL as the target,
 * `Host` from the URL, the request's end-to-end fields, `Connection: close`, then
 * `Content-Length` or `Transfer-Encoding: chunked` as `framing` says. `Headers` only hold byte
 * strings, so each character is one byte.
 */
export function requestHead(request: Request, framing: RequestFraming): Uint8Array {
  const url = new URL(request.url);
  const lines = [`${request.method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of endToEndFields(request.headers)) {
    if (!OWN.has(name)) lines.push(`${name}: ${value}`);
  }
  lines.push("Connection: close");
  if (typeof framing === "number") lines.push(`Content-Length: ${framing}`);
  if (framing === "chunked") lines.push("Transfer-Encoding: chunked");
  return stringBytes(lines.join("\r\n") + "\r\n\r\n");
}
