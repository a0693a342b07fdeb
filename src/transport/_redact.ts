// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/** What a redacted secret reads as. */
export const REDACTED = "[redacted]";

/** Characters an API key is made of; a match next to one is part of a longer word, not the key. */
const KEY_CHAR = /^[A-Za-z0-9_-]$/;

/**
 * Replaces every whole occurrence of `secret` in `text` with `[redacted]`: one that no key
 * character (`A-Z`, `a-z`, `0-9`, `_`, `-`) touches on either side, so the key is caught in a URL,
 * a JSON string or `Bearer <key>` while a one-letter key leaves `blocked` alone. The one place
 * every message and kept body is redacted.
 */
export function redact(text: string, secret: string): string {
  if (secret === "") return text;
  let out = "";
  let from = 0;
  for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
    if (at < from || !standsAlone(text, at, secret.length)) continue;
    out += text.slice(from, at) + REDACTED;
    from = at + secret.length;
  }
  return from === 0 ? text : out + text.slice(from);
}

function standsAlone(text: string, at: number, length: number): boolean {
  return !isKeyChar(text[at - 1]) && !isKeyChar(text[at + length]);
}

function isKeyChar(char: string | undefined): boolean {
  return char !== undefined && KEY_CHAR.test(char);
}
