// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Http1ResponseHead } from "./http1_response_head.ts";
import { listElements } from "./_field_syntax.ts";
import { malformed } from "./_malformed.ts";

/** How the body of a response is delimited (RFC 9112 §6.3). */
export type BodyFraming =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" }
  | { kind: "close" };

/** Statuses whose responses never have a body; 205 too, as a `Response` cannot carry one. */
const NO_BODY = new Set([204, 205, 304]);
/** The most decimal digits of a Content-Length we accept (below 2^53). */
const MAX_LENGTH_DIGITS = 15;

/**
 * How the body of a final response to `method` is delimited: none for HEAD, 204, 205 and 304;
 * chunked when Transfer-Encoding says so (only `chunked`, alone, is understood, and never with a
 * Content-Length); else by Content-Length (repeated values must agree); else by the close of the
 * connection. Anything else is a `ProtocolError`.
 */
export function bodyFraming(head: Http1ResponseHead, method: string): BodyFraming {
  const codings = valuesOf(head, "transfer-encoding");
  const lengths = valuesOf(head, "content-length");
  if (codings.length > 0 && lengths.length > 0) {
    throw malformed("both Transfer-Encoding and Content-Length (a request smuggling vector)");
  }
  if (method === "HEAD" || NO_BODY.has(head.status)) return { kind: "none" };
  if (codings.length > 0) return chunked(codings);
  if (lengths.length > 0) return { kind: "length", length: contentLength(lengths) };
  return { kind: "close" };
}

function valuesOf(head: Http1ResponseHead, name: string): string[] {
  return head.headers.filter(([key]) => key.toLowerCase() === name)
    .flatMap(([, value]) => {
      const elements = listElements(value);
      return elements.length > 0 ? elements : [""];
    });
}

function chunked(codings: string[]): BodyFraming {
  if (codings.length !== 1 || codings[0]!.toLowerCase() !== "chunked") {
    throw malformed(`an unsupported Transfer-Encoding ${JSON.stringify(codings.join(", "))}`);
  }
  return { kind: "chunked" };
}

function contentLength(values: string[]): number {
  const first = values[0]!;
  if (!/^[0-9]+$/.test(first) || first.length > MAX_LENGTH_DIGITS) {
    throw malformed(`an invalid Content-Length ${JSON.stringify(first)}`);
  }
  if (values.some((value) => value !== first)) {
    throw malformed(`conflicting Content-Length values ${JSON.stringify(values.join(", "))}`);
  }
  return Number(first);
}
