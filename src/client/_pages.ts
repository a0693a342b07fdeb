// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ProtocolError } from "../errors.ts";

/** One page of a listing, whatever it lists. */
export interface Page<T> {
  items: T[];
  nextCursor: string | undefined;
  hasMore: boolean;
}

/** Refuses a page that says more follow without saying where. */
export function checkPage<P extends { nextCursor: string | undefined; hasMore: boolean }>(
  operation: string,
  page: P,
): P {
  if (page.hasMore && page.nextCursor === undefined) {
    throw new ProtocolError(`${operation}: has_more is true but next_cursor is missing`);
  }
  return page;
}

/**
 * Walks every page from the first, fetching each when the previous one is used up; a server
 * that repeats a cursor ends the walk with a `ProtocolError` instead of looping.
 */
export async function* walkPages<T>(
  operation: string,
  pageAt: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T, void> {
  let cursor: string | undefined;
  do {
    const page = await pageAt(cursor);
    yield* page.items;
    if (page.hasMore && page.nextCursor === cursor) {
      throw new ProtocolError(`${operation}: the server repeated cursor ${cursor}`);
    }
    cursor = page.hasMore ? page.nextCursor : undefined;
  } while (cursor !== undefined);
}
