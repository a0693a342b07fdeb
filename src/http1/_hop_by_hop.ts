// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { listElements } from "./_field_syntax.ts";

/** The fields that describe one connection, not the message (RFC 9110 §7.6.1), lower case. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * The fields of `headers` that may travel to the next hop: without the hop-by-hop ones, the
 * `Proxy-*` ones, and those the `Connection` field names.
 */
export function endToEndFields(headers: Headers): [string, string][] {
  const named = new Set(listElements(headers.get("connection") ?? "").map((n) => n.toLowerCase()));
  return [...headers].filter(([name]) =>
    !HOP_BY_HOP.has(name) && !name.startsWith("proxy-") && !named.has(name)
  );
}
