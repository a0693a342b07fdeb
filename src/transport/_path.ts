// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { InvalidConfigError } from "../errors.ts";

const UNRESERVED_REGEXP = /^[A-Za-z0-9\-._~]$/;
const encoder = new TextEncoder();

/**
 * Percent-encodes one path segment as the SDK does: every UTF-8 byte outside the RFC 3986
 * unreserved set becomes `%XX` in upper-case hex, `/` and space included. `.` and `..` are
 * refused, since URL parsers resolve them (even as `%2E%2E`) into another path.
 */
export function encodePathSegment(value: string, what = "sandbox name"): string {
  if (value === "" || value === "." || value === "..") {
    throw new InvalidConfigError(`${what} must not be empty, "." or ".."`);
  }
  let out = "";
  for (const char of value) {
    if (UNRESERVED_REGEXP.test(char)) {
      out += char;
      continue;
    }
    for (const byte of encoder.encode(char)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return out;
}
