// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { Microsandbox } from "../client/microsandbox.ts";
import { clientOf, type ClientSource, defaultClients } from "./_client.ts";
import type { ContextLike, MiddlewareLike } from "./context.ts";

export type { ClientSource };

/**
 * The context variables the {@linkcode microsandbox} middleware sets; type your app with them to
 * read `c.get("microsandbox")` typed: `new Hono<{ Variables: MicrosandboxVariables }>()`.
 *
 * @example Read the client with `c.get`
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { microsandbox, type MicrosandboxVariables } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const client = new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" });
 * const app = new Hono<{ Variables: MicrosandboxVariables }>();
 * app.use("*", microsandbox({ client }));
 * app.get("/wire", (c) => c.text(c.get("microsandbox").wire));
 * assert.equal(await (await app.request("/wire")).text(), "current");
 * ```
 */
export interface MicrosandboxVariables {
  /** The client of this request. */
  microsandbox: Microsandbox;
}

/**
 * Options of {@linkcode microsandbox}.
 *
 * @example A client built once, speaking the seed's wire
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import {
 *   getMicrosandbox,
 *   microsandbox,
 *   type MicrosandboxMiddlewareOptions,
 * } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const options: MicrosandboxMiddlewareOptions = {
 *   client: new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test", wire: "v0.5" }),
 * };
 * const app = new Hono();
 * app.use("/api/*", microsandbox(options));
 * app.get("/api/wire", (c) => c.text(getMicrosandbox(c).wire));
 * assert.equal(await (await app.request("/api/wire")).text(), "v0.5");
 * ```
 */
export interface MicrosandboxMiddlewareOptions {
  /**
   * The client, or how to build it from the context. By default `Microsandbox.fromEnv(c.env)`
   * when `c.env` holds `MSB_API_KEY` (Workers: one client per request, as workerd ties sockets to
   * the request that opened them), else `Microsandbox.fromEnv()`, built once.
   */
  client?: ClientSource | undefined;
}

/**
 * A middleware that sets the `microsandbox` variable of the context to a client, for your own
 * handlers (through {@linkcode getMicrosandbox}) and for the sandbox routes.
 *
 * @param options The client, or how to build it.
 * @returns The middleware, for `app.use()`.
 *
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { getMicrosandbox, microsandbox } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const client = new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" });
 * const app = new Hono();
 * app.use("/api/*", microsandbox({ client }));
 * app.get("/api/url", (c) => c.text(getMicrosandbox(c).url));
 * assert.equal(await (await app.request("/api/url")).text(), "https://cloud.test");
 * ```
 */
export function microsandbox(options: MicrosandboxMiddlewareOptions = {}): MiddlewareLike {
  const source = options.client ?? defaultClients();
  return async function microsandbox(c, next) {
    c.set("microsandbox", clientOf(source, c));
    await next();
  };
}

/**
 * The client that the {@linkcode microsandbox} middleware set on this context.
 *
 * @param c The context of a handler behind the middleware.
 * @returns The client.
 * @throws {Error} When the middleware is not mounted on this route.
 *
 * @example Usage
 * ```ts
 * import { Hono } from "hono";
 * import { getMicrosandbox } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const app = new Hono();
 * app.get("/", (c) => c.text(getMicrosandbox(c).url));
 * app.onError((error, c) => c.text(error.message, 500));
 * const response = await app.request("/"); // no middleware mounted
 * assert.match(await response.text(), /mount the middleware first/);
 * ```
 */
export function getMicrosandbox(c: ContextLike): Microsandbox {
  const client = c.get("microsandbox");
  if (client instanceof Microsandbox) return client;
  throw new Error(
    "getMicrosandbox: no client on this context; mount the middleware first, such as app.use(microsandbox())",
  );
}
