// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The grammar of RFC 9110 §5 and RFC 9112 §4 and §5 that a response head is checked against.

/** `token`: one or more `tchar` (RFC 9110 §5.6.2). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** `field-value` after trimming: VCHAR, SP, HTAB and obs-text, no other control (RFC 9110 §5.5). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** `status-line` (RFC 9112 §4), the reason phrase optional and with the same characters. */
const STATUS_LINE = /^HTTP\/1\.([01]) ([0-9]{3})(?: ([\t\x20-\x7e\x80-\xff]*))?$/;
/** Optional whitespace around a field value. */
const OWS = /^[\t ]+|[\t ]+$/g;

/** A parsed status line. */
export interface StatusLine {
  /** The minor version: 0 or 1. */
  minor: number;
  /** The three-digit status code. */
  status: number;
  /** The reason phrase, empty when there is none. */
  statusText: string;
}

/** The status line, or `undefined` when `line` is not one. */
export function parseStatusLine(line: string): StatusLine | undefined {
  const match = STATUS_LINE.exec(line);
  if (match === null) return undefined;
  return { minor: Number(match[1]), status: Number(match[2]), statusText: match[3] ?? "" };
}

/** Whether `name` is a `token`, as a field name must be. */
export function isToken(name: string): boolean {
  return TOKEN.test(name);
}

/**
 * The `[name, value]` of a field line, or a reason why it is not one: obs-fold (a line that
 * starts with whitespace), no colon, whitespace before the colon, a name that is not a token, a
 * value with a control character.
 */
export function parseFieldLine(line: string): [string, string] | string {
  if (line.startsWith(" ") || line.startsWith("\t")) return "an obs-fold line (deprecated)";
  const colon = line.indexOf(":");
  if (colon === -1) return "a field line without a colon";
  const name = line.slice(0, colon);
  if (!isToken(name)) return `an invalid field name ${JSON.stringify(name)}`;
  const value = line.slice(colon + 1).replace(OWS, "");
  if (!FIELD_VALUE.test(value)) return `a control character in the value of ${name}`;
  return [name, value];
}

/** Whether `text` holds only field-value characters (chunk extensions are checked so). */
export function isFieldText(text: string): boolean {
  return FIELD_VALUE.test(text);
}

/** The elements of a comma-separated list field, trimmed, empty ones dropped. */
export function listElements(value: string): string[] {
  return value.split(",").map((element) => element.replace(OWS, "")).filter((e) => e !== "");
}
