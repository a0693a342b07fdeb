// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * The cursor a client asks to resume after: the `Last-Event-ID` header that `EventSource` sends
 * on reconnection, else the `cursor` query parameter.
 *
 * @param request The incoming request.
 * @returns The cursor text, or `undefined` to start from the beginning.
 *
 * @example Usage
 * ```ts
 * import { resumeCursor } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const request = new Request("https://app.test/logs?cursor=AA==", {
 *   headers: { "last-event-id": "AQEAAAAAAAAAAAAAAAAAAAA=" },
 * });
 * assert.equal(resumeCursor(request), "AQEAAAAAAAAAAAAAAAAAAAA=");
 * assert.equal(resumeCursor(new Request("https://app.test/logs?cursor=AA==")), "AA==");
 * ```
 */
export function resumeCursor(request: Request): string | undefined {
  const header = request.headers.get("last-event-id")?.trim();
  if (header) return header;
  return new URL(request.url).searchParams.get("cursor")?.trim() || undefined;
}
