// The key-leak detector: scans every byte a client receives for the API key, raw, JSON-escaped,
// percent-encoded (upper and lower case) and base64, across chunk boundaries.

import type { Failures } from "./_failures.ts";

/** The forms the API key could take in an answer. */
export function keyForms(key: string): string[] {
  const json = JSON.stringify(key).slice(1, -1);
  const percent = encodeURIComponent(key);
  const forms = [
    key,
    json,
    json.replaceAll("/", "\\/"),
    percent,
    percent.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    new URLSearchParams({ k: key }).toString().slice(2),
    escapedEach(key, (hex) => `%${hex}`),
    escapedEach(key, (hex) => `%${hex.toLowerCase()}`),
    escapedEach(key, (hex) => `\\u00${hex.toLowerCase()}`),
    btoa(key),
  ];
  return [...new Set(forms)];
}

/** The key with every character escaped (`%6D%73…`, `\u006d\u0073…`). */
function escapedEach(key: string, escape: (hex: string) => string): string {
  return [...key].map((c) => escape(c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")))
    .join("");
}

/** Scans a stream of bytes for any of the forms, keeping a tail so a form split across chunks is found. */
export class KeyScanner {
  readonly #forms: Uint8Array[];
  readonly #overlap: number;
  #tail = new Uint8Array(0);
  found: string | undefined;

  constructor(forms: readonly string[]) {
    const encoder = new TextEncoder();
    this.#forms = forms.map((form) => encoder.encode(form));
    this.#overlap = Math.max(...this.#forms.map((form) => form.byteLength)) - 1;
  }

  /** Scans the next chunk; returns the form found, if any (once found, it stays found). */
  feed(chunk: Uint8Array): string | undefined {
    if (this.found !== undefined) return this.found;
    const joined = new Uint8Array(this.#tail.byteLength + chunk.byteLength);
    joined.set(this.#tail);
    joined.set(chunk, this.#tail.byteLength);
    for (const form of this.#forms) {
      if (indexOf(joined, form) >= 0) {
        this.found = new TextDecoder().decode(form);
        return this.found;
      }
    }
    this.#tail = joined.slice(Math.max(0, joined.byteLength - this.#overlap));
    return undefined;
  }
}

/** The key scan of the whole run: one scanner per answer, failures to the verdict. */
export class KeyWatch {
  readonly #forms: string[];
  readonly #failures: Failures;
  /** Bytes scanned, for the summary. */
  bytes = 0;

  constructor(key: string, failures: Failures) {
    this.#forms = keyForms(key);
    this.#failures = failures;
  }

  /** A scanner for one answer (or socket); `what` names it in the failure. */
  scanner(what: string): (chunk: Uint8Array | string) => void {
    const scanner = new KeyScanner(this.#forms);
    const encoder = new TextEncoder();
    return (chunk) => {
      const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      this.bytes += bytes.byteLength;
      if (scanner.found !== undefined) return;
      const form = scanner.feed(bytes);
      if (form !== undefined) {
        this.#failures.add("key_leak", `${what}: the API key (as ${describe(form)}) in the answer`);
      }
    };
  }
}

function describe(form: string): string {
  if (form.includes("%")) return "percent-encoded";
  if (form.includes("\\")) return "JSON-escaped";
  if (!form.startsWith("msb_")) return "base64";
  return "raw";
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  const last = haystack.byteLength - needle.byteLength;
  for (let i = haystack.indexOf(first!); i >= 0 && i <= last; i = haystack.indexOf(first!, i + 1)) {
    let j = 1;
    while (j < needle.byteLength && haystack[i + j] === needle[j]) j++;
    if (j === needle.byteLength) return i;
  }
  return -1;
}
