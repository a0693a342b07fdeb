// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// Slugs are unique across the whole cloud, every organisation and tenant at once. A slug the
// caller chooses (or the cloud derives from the name, adding -2, -3, ...) answers 409 or comes
// back changed when another tenant holds it, and can be taken before its owner asks for it. The
// routes send their own instead: the name's letters and digits plus a random suffix.

/** msb-cloud's rule: 1 to 63 of `a-z`, `0-9` and inner `-`. */
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_SLUG = 63;
/** 10 characters of 36: about 51.7 bits, so nobody guesses one, and two never clash. */
const SUFFIX_LENGTH = 10;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
/** The largest multiple of 36 a byte reaches; bytes from it up are drawn again (no bias). */
const UNBIASED_BELOW = 252;

/** Whether `value` is a slug msb-cloud accepts. */
export function isSlug(value: unknown): value is string {
  return typeof value === "string" && SLUG.test(value);
}

/**
 * A slug for a new sandbox named `name`: its letters and digits (accents dropped, lower case,
 * other runs as one dash, `sandbox` when none is left), a dash and 10 random characters.
 */
export function derivedSlug(name: string): string {
  const base = name.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_SLUG - 1 - SUFFIX_LENGTH)
    .replace(/^-+|-+$/g, "") || "sandbox";
  return `${base}-${randomSuffix()}`;
}

function randomSuffix(): string {
  let suffix = "";
  while (suffix.length < SUFFIX_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(SUFFIX_LENGTH))) {
      if (byte < UNBIASED_BELOW && suffix.length < SUFFIX_LENGTH) suffix += ALPHABET[byte % 36];
    }
  }
  return suffix;
}
