// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/** What a redacted secret reads as. */
export const REDACTED = "[redacted]";

/** Characters an API key is made of; a match next to one is part of a longer word, not the key. */
const KEY_CHAR = /^[A-Za-z0-9_-]$/;

/** An escape that ends right before a match: `\uXXXX`, `%XX`, or JSON's `\b \f \n \r \t`. */
const ESCAPE_BEFORE = /(?:\\u([0-9A-Fa-f]{4})|%([0-9A-Fa-f]{2})|\\([bfnrt]))$/;

/** The characters one character of the key can take at most in any form (`%XX` of 3 bytes). */
const MAX_FORM_LENGTH = 9;

let cached: { secret: string; pattern: RegExp } | undefined;

/**
 * Replaces every whole occurrence of `secret` in `text` with `[redacted]`, in every form it can
 * take: raw, JSON-escaped (`\u006d`, any mix of escaped and plain characters, hex in either case)
 * and percent-encoded (`%6D` or `%6d`), forms mixed freely. An occurrence is whole when no key
 * character (`A-Z`, `a-z`, `0-9`, `_`, `-`) touches it on either side once escapes are decoded,
 * so the key is caught in a URL, a JSON string, after `\n` or `%20`, or in `Bearer <key>`, while
 * a one-letter key leaves `blocked` alone. The one place every message, kept body and decoded
 * answer is redacted.
 */
export function redact(text: string, secret: string): string {
  if (secret === "") return text;
  const pattern = patternOf(secret);
  pattern.lastIndex = 0;
  let out = "";
  let from = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const at = match.index;
    const end = at + match[0].length;
    if (!standsAlone(text, at, end)) {
      pattern.lastIndex = at + 1;
      continue;
    }
    out += text.slice(from, at) + REDACTED;
    from = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * How many bytes past a bound a body must be read so that a key straddling the bound, in its
 * longest form, is read whole.
 */
export function redactionMargin(secret: string): number {
  return secret.length * MAX_FORM_LENGTH;
}

/**
 * Redacts `text` and cuts the result to at most `bound` UTF-8 bytes. `text` is a body decoded
 * whole, or, when `complete` is false, the first `bound + redactionMargin(secret)` bytes of a
 * longer one: then its last margin is dropped before redaction, cut before any form of the key
 * that straddles the cut, so no part of the key survives at the end.
 */
export function redactBounded(
  text: string,
  secret: string,
  bound: number,
  complete: boolean,
): string {
  const end = complete ? text.length : safeCut(text, secret, text.length - redactionMargin(secret));
  const redacted = redact(text.slice(0, end), secret);
  const { read } = new TextEncoder().encodeInto(redacted, new Uint8Array(bound));
  return redacted.slice(0, read);
}

/**
 * A `JSON.parse` reviver that redacts every string and every object key of the decoded value,
 * so free text of an answer (a last error, a status reason, labels) never holds the key.
 */
export function redactingReviver(secret: string): (key: string, value: unknown) => unknown {
  return (_key, value) => {
    if (typeof value === "string") return redact(value, secret);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    if (keys.every((key) => redact(key, secret) === key)) return value;
    // `fromEntries` defines own properties, so a key `__proto__` stays a plain key.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [redact(key, secret), item]),
    );
  };
}

/**
 * Whether `text` may hold `secret` in any form: one scan, so that text without it (nearly every
 * answer) is parsed without a reviver.
 *
 * @param text The text to look at.
 * @param secret The secret; empty never matches.
 * @returns `false` only when no form of `secret` occurs in `text`.
 */
export function mayHold(text: string, secret: string): boolean {
  if (secret === "") return false;
  const pattern = patternOf(secret);
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}

/** `at`, moved back to the start of any form of the key that straddles it. */
function safeCut(text: string, secret: string, at: number): number {
  const pattern = patternOf(secret);
  let cut = Math.max(0, at);
  pattern.lastIndex = Math.max(0, cut - redactionMargin(secret));
  for (let match = pattern.exec(text); match && match.index < cut; match = pattern.exec(text)) {
    if (match.index + match[0].length > cut) cut = match.index;
    pattern.lastIndex = match.index + 1;
  }
  return cut;
}

/** The global pattern of every form of `secret`, built once per secret. */
function patternOf(secret: string): RegExp {
  if (cached?.secret !== secret) {
    const source = Array.from(secret, (char) => `(?:${formsOf(char).join("|")})`).join("");
    cached = { secret, pattern: new RegExp(source, "g") };
  }
  return cached.pattern;
}

/** The forms of one character, escapes first: `\uXXXX` per UTF-16 unit, `%XX` per UTF-8 byte. */
function formsOf(char: string): string[] {
  const units = Array.from({ length: char.length }, (_, i) => char.charCodeAt(i));
  const json = units.map((unit) => `\\\\u${hex(unit, 4)}`).join("");
  const percent = Array.from(new TextEncoder().encode(char), (byte) => `%${hex(byte, 2)}`).join("");
  return [json, percent, char.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")];
}

/** `value` as `digits` hex digits, each letter matching either case. */
function hex(value: number, digits: number): string {
  return Array.from(
    value.toString(16).padStart(digits, "0"),
    (digit) => /[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit,
  ).join("");
}

function standsAlone(text: string, at: number, end: number): boolean {
  return !isKeyChar(text[end]) && !endsWithKeyChar(text.slice(Math.max(0, at - 6), at));
}

/** Whether `before` ends with a key character once a trailing escape is decoded. */
function endsWithKeyChar(before: string): boolean {
  if (!isKeyChar(before.at(-1))) return false;
  const escape = ESCAPE_BEFORE.exec(before);
  if (!escape) return true;
  if (escape[3] !== undefined) return false;
  return isKeyChar(String.fromCharCode(parseInt(escape[1] ?? escape[2]!, 16)));
}

function isKeyChar(char: string | undefined): boolean {
  return char !== undefined && KEY_CHAR.test(char);
}
