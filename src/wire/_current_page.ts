// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import {
  arrayOf,
  boolean,
  type JsonCodec,
  object,
  optional,
  required,
  string,
} from "./_json_codec.ts";
import { checkLimit } from "./_refuse.ts";
import type { WirePageQuery } from "./wire_adapter.ts";

/** One page of a listing of today's cloud. */
export interface CurrentPage<T> {
  items: T[];
  nextCursor: string | undefined;
  hasMore: boolean;
}

/** A page of today's cloud (`Paginated*Response`): `{data, has_more, next_cursor}`. */
export function currentPage<T>(item: JsonCodec<T>): JsonCodec<CurrentPage<T>> {
  return object({
    items: required(arrayOf(item), "data"),
    nextCursor: optional(string),
    hasMore: required(boolean),
  });
}

/** `cursor` when given, and `limit` always (the SDK's default 20), checked from 1 to 100. */
export function pageParams(query: WirePageQuery): URLSearchParams {
  checkLimit(query.limit);
  const params = new URLSearchParams();
  if (query.cursor !== undefined) params.set("cursor", query.cursor);
  params.set("limit", String(query.limit ?? 20));
  return params;
}
