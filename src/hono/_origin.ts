// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// Which pages may open the WebSocket route. A browser sends `Origin` on every WebSocket upgrade
// and lets any page open a socket to any host, with the user's cookies: without this check, a
// foreign page could drive a sandbox wherever `authorize` trusts a cookie.

import type { ContextLike } from "./context.ts";

/** Whether a page of `origin` may open a WebSocket, as the routes decide it. */
export type OriginCheck = (origin: string, c: ContextLike) => boolean | Promise<boolean>;

/**
 * The check of the `origin` option: a function as it is, a list as exact origins, and by default
 * the request's own host (the `Host` the server saw), whatever the scheme, so that a server
 * behind a TLS proxy still accepts its own pages.
 *
 * @param option The option as given.
 * @param name The option's name, for the error.
 * @returns The check.
 * @throws {TypeError} When the option is neither a function nor a list of origins.
 */
export function originCheck(option: unknown, name = "origin"): OriginCheck {
  if (option === undefined) return sameHost;
  if (typeof option === "function") return option as OriginCheck;
  if (!Array.isArray(option) || !option.every(isOrigin)) {
    throw new TypeError(
      `sandboxRoutes: options.${name} must be a function or a list of origins such as https://app.example.com`,
    );
  }
  const allowed = new Set<string>(option);
  return (origin) => allowed.has(origin);
}

/**
 * Whether the request may be upgraded: one without `Origin` (not from a browser) always may.
 *
 * @param check The routes' check.
 * @param c The request's context.
 * @returns Whether its origin is allowed.
 */
export async function originAllowed(check: OriginCheck, c: ContextLike): Promise<boolean> {
  const origin = c.req.header("origin");
  return origin === undefined || await check(origin, c);
}

function sameHost(origin: string, c: ContextLike): boolean {
  return isOrigin(origin) && new URL(origin).host === new URL(c.req.url).host;
}

function isOrigin(value: unknown): value is string {
  return typeof value === "string" && URL.canParse(value) && new URL(value).origin === value;
}
