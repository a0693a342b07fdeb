// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { concatBytes } from "../_concat.ts";

/** What {@linkcode readBody} gives back. */
export interface BodyText {
  text: string;
  /** True when the body was longer than the limit and was cut there. */
  truncated: boolean;
  /** The bytes read (at most the limit). */
  bytes: number;
}

/**
 * Reads at most `limit` bytes of a body as UTF-8 and cancels the rest, so a huge or endless body
 * cannot exhaust memory.
 */
export async function readBody(response: Response, limit: number): Promise<BodyText> {
  if (!response.body) return { text: "", truncated: false, bytes: 0 };
  // A declared length within the limit is enforced by the HTTP client itself, unless the body
  // is compressed, where the length counts the compressed bytes.
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared <= limit && !response.headers.has("content-encoding")) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { text: new TextDecoder().decode(bytes), truncated: false, bytes: bytes.byteLength };
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = limit - size;
      chunks.push(value.byteLength > room ? value.subarray(0, room) : value);
      size += Math.min(value.byteLength, room);
      if (value.byteLength > room) {
        truncated = true;
        await reader.cancel();
        break;
      }
    }
  } finally {
    reader.releaseLock();
  }
  return { text: new TextDecoder().decode(concatBytes(chunks)), truncated, bytes: size };
}
