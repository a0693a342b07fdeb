// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// Where a preview request goes in the sandbox: the port of the route, and the path and query
// that follow `/ports/:port` in the URL, read from the raw URL so that no escape is changed.

import { RouteError } from "./errors.ts";
import { rawPathname } from "./_raw_target.ts";

/** A preview request's target in the sandbox. */
export interface PreviewTarget {
  /** The port, from 1 to 65535. */
  port: number;
  /**
   * The URL the sandbox's server sees, on `http://localhost:<port>`, dot segments resolved;
   * `undefined` when the route's URL stops at the port (`/ports/8000`, no `/` after it).
   */
  url: URL | undefined;
}

/**
 * The target of `url` (the request's URL) under `pattern`, the route pattern that matched it,
 * such as `/api/sandboxes/:name/ports/:port/*`, without the query parameters `stripQuery` names.
 *
 * @throws {RouteError} `invalid_request` when the port is not an integer from 1 to 65535.
 */
export function previewTarget(
  url: string,
  pattern: string,
  port: string | undefined,
  stripQuery: readonly string[],
): PreviewTarget {
  const number = checkPort(port);
  const at = pattern.split("/").lastIndexOf(":port");
  if (at < 0) {
    throw new RouteError(
      "internal",
      "The preview route is mounted under a pattern it cannot read.",
    );
  }
  const rest = rawPathname(url).split("/").slice(at + 1);
  if (rest.length === 0) return { port: number, url: undefined };
  const target = new URL(`http://localhost:${number}`);
  target.pathname = `/${rest.join("/")}`;
  target.search = new URL(url).search;
  for (const name of stripQuery) {
    if (target.searchParams.has(name)) target.searchParams.delete(name);
  }
  return { port: number, url: target };
}

/** The port of the route, checked: an integer from 1 to 65535 written plainly. */
function checkPort(text: string | undefined): number {
  const port = Number(text);
  if (/^[1-9][0-9]{0,4}$/.test(text ?? "") && port <= 65535) return port;
  throw new RouteError("invalid_request", "The port must be an integer from 1 to 65535.");
}
