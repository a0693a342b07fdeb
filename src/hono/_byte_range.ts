// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// One `Range: bytes=…` of a download (RFC 9110 §14): `a-b`, `a-` or `-n`. A header this does not
// read (another unit, several ranges, bad syntax) is ignored and the whole file sent, as the RFC
// allows; a range that selects no byte of the file is 416 with `Content-Range: bytes */size`.

import { RouteError } from "./errors.ts";

/** The bytes a range selects: from `offset`, `length` of them. */
export interface ByteSpan {
  offset: number;
  length: number;
}

/**
 * The span of `header` in a file of `size` bytes, `undefined` to send the whole file, or `null`
 * when it selects no byte (416).
 */
export function byteSpan(header: string | null, size: number): ByteSpan | undefined | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return null;
    const length = Math.min(suffix, size);
    return { offset: size - length, length };
  }
  const offset = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(offset) || offset >= size) return null;
  if (end < offset) return undefined;
  return { offset, length: end - offset + 1 };
}

/** The 416 answer to a range that selects no byte of a `size`-byte file. */
export function unsatisfiable(size: number): Response {
  const answer = new RouteError(
    "range_not_satisfiable",
    `The range selects no byte of this ${size}-byte file.`,
  ).toResponse();
  answer.headers.set("content-range", `bytes */${size}`);
  return answer;
}
