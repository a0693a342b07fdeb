// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/** Characters converted per `String.fromCharCode` call, well below any engine's argument limit. */
const SLICE = 8192;

/**
 * The bytes as a byte string: one character per byte, U+0000 to U+00FF (ISO-8859-1, which
 * `TextDecoder("latin1")` is not: the Encoding standard maps that label to windows-1252). HTTP
 * field values are byte strings, and so are the values `Headers` accepts.
 */
export function byteString(bytes: Uint8Array): string {
  let text = "";
  for (let at = 0; at < bytes.length; at += SLICE) {
    text += String.fromCharCode(...bytes.subarray(at, at + SLICE));
  }
  return text;
}

/** The byte string as bytes; every character must be below U+0100. */
export function stringBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let at = 0; at < text.length; at++) bytes[at] = text.charCodeAt(at);
  return bytes;
}
