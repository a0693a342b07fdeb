// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// What a server WebSocket received, in the forms runtimes hand it over: a string, an
// `ArrayBuffer`, a view or a `Blob` (Deno's default binary type).

import { RouteError } from "./errors.ts";

/**
 * The bytes a received message holds (a text message counts its UTF-16 units, near enough).
 *
 * @param data The message's `data`.
 * @returns Its size.
 */
export function sizeOf(data: unknown): number {
  if (typeof data === "string") return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  if (data instanceof Blob) return data.size;
  return 0;
}

/**
 * The bytes of a binary message, whichever form the runtime gave it in.
 *
 * @param data The message's `data`: an `ArrayBuffer`, a view or a `Blob`.
 * @returns The bytes.
 * @throws {RouteError} `invalid_request` for anything else.
 */
export async function bytesOf(data: unknown): Promise<Uint8Array> {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (data instanceof Blob) return new Uint8Array(await data.arrayBuffer());
  throw new RouteError("invalid_request", "A binary message must hold bytes.");
}
