// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { RouteError } from "./errors.ts";
import type { OutputEncoding } from "./schema.ts";

/** The `?encoding=` of an exec request: `utf-8` when absent; anything else is 400. */
export function outputEncoding(request: Request): OutputEncoding {
  const value = new URL(request.url).searchParams.get("encoding") ?? "utf-8";
  if (value === "utf-8" || value === "base64") return value;
  throw new RouteError(
    "invalid_request",
    'The "encoding" query parameter must be "utf-8" or "base64".',
  );
}

/** Turns output chunks into text; `flush` gives what a UTF-8 decoder held back at the end. */
export interface OutputText {
  chunk(bytes: Uint8Array): string;
  flush(): string;
}

/** The text of one output stream in `encoding`: UTF-8 decoded across chunks, or base64 each. */
export function outputText(encoding: OutputEncoding): OutputText {
  if (encoding === "base64") return { chunk: toBase64, flush: () => "" };
  const decoder = new TextDecoder();
  return {
    chunk: (bytes) => decoder.decode(bytes, { stream: true }),
    flush: () => decoder.decode(),
  };
}

/** Bytes a `btoa` call takes at once: a multiple of 3, so the pieces join without padding. */
const PIECE = 3 * 8192;

/** Standard base64 with padding of `bytes`, with Web APIs only. */
export function toBase64(bytes: Uint8Array): string {
  const pieces: string[] = [];
  for (let at = 0; at < bytes.length; at += PIECE) {
    pieces.push(btoa(String.fromCharCode(...bytes.subarray(at, at + PIECE))));
  }
  return pieces.join("");
}
