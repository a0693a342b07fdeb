/**
 * One page of any listing whose items carry a creation number: the items after the cursor's
 * number that match, up to `limit`, and the cursor of the page that follows.
 *
 * @module
 */

import { decodeCursor, encodeCursor } from "./_cursor.ts";

/** Which page to list. */
export interface SeqPageQuery<T> {
  readonly cursor?: string | undefined;
  readonly limit: number;
  readonly match?: ((item: T) => boolean) | undefined;
}

/** One page of a listing. */
export interface SeqPage<T> {
  readonly items: readonly T[];
  /** The cursor of the next page, or `null` on the last one. */
  readonly nextCursor: string | null;
}

/**
 * Pages `all`, in its own order (creation order).
 *
 * @param all The items, oldest first.
 * @param query The cursor (from a previous page), page size and filter.
 * @returns The page and the cursor of the next one.
 * @throws {ApiError} 400 `invalid_request` for a cursor this cloud did not hand out.
 */
export function pageOf<T extends { readonly seq: number }>(
  all: Iterable<T>,
  query: SeqPageQuery<T>,
): SeqPage<T> {
  const after = query.cursor === undefined ? 0 : decodeCursor(query.cursor);
  const items: T[] = [];
  let more = false;
  for (const item of all) {
    if (item.seq <= after || (query.match && !query.match(item))) continue;
    if (items.length === query.limit) {
      more = true;
      break;
    }
    items.push(item);
  }
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeCursor(last.seq) : null };
}
