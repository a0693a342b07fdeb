/**
 * Sandbox slugs: lower-case, URL-safe handles derived from names, unique per cloud.
 *
 * @module
 */

import { invalidRequest } from "../app/_error_body.ts";

const SLUG_REGEXP = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const NON_ALPHANUMERIC_REGEXP = /[^a-z0-9]+/g;
const EDGE_DASHES_REGEXP = /^-+|-+$/g;
const COMBINING_MARKS_REGEXP = /\p{M}+/gu;
const MAX_BASE_LENGTH = 56;

/**
 * Checks a slug chosen by the client.
 *
 * @param slug The slug from a create or update body.
 * @returns The slug unchanged.
 * @throws {ApiError} 400 `invalid_request` when it is not 1-63 of `a-z`, `0-9` and inner `-`.
 */
export function checkSlug(slug: string): string {
  if (!SLUG_REGEXP.test(slug)) {
    throw invalidRequest(
      `Cannot use slug ${
        JSON.stringify(slug)
      }: use 1 to 63 lower-case letters, digits and inner dashes`,
    );
  }
  return slug;
}

/**
 * Derives a unique slug from a sandbox name: accents dropped, lower-cased, each run of other
 * characters turned into one dash, then `-2`, `-3`, ... appended until no other sandbox uses it.
 *
 * @param name The sandbox name.
 * @param taken Whether a slug is already used.
 * @returns The new slug.
 */
export function deriveSlug(name: string, taken: (slug: string) => boolean): string {
  const base = name.normalize("NFKD").replace(COMBINING_MARKS_REGEXP, "").toLowerCase()
    .replace(NON_ALPHANUMERIC_REGEXP, "-")
    .slice(0, MAX_BASE_LENGTH)
    .replace(EDGE_DASHES_REGEXP, "") || "sandbox";
  let slug = base;
  for (let n = 2; taken(slug); n++) slug = `${base}-${n}`;
  return slug;
}
