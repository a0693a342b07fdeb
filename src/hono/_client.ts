// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { Microsandbox } from "../client/microsandbox.ts";
import type { ContextLike } from "./context.ts";
import { RouteError } from "./errors.ts";

/**
 * A client, or how to build one from the request's context.
 *
 * @example One client per request, from the Workers bindings
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type ClientSource, getMicrosandbox, microsandbox } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const fromBindings: ClientSource = (c) => Microsandbox.fromEnv(c.env as Record<string, unknown>);
 * const app = new Hono();
 * app.use("*", microsandbox({ client: fromBindings }));
 * app.get("/", (c) => c.text(getMicrosandbox(c).url));
 * const env = { MSB_API_KEY: "msb_test_123", MSB_API_URL: "https://cloud.test" };
 * assert.equal(await (await app.request("/", {}, env)).text(), "https://cloud.test");
 * ```
 */
export type ClientSource = Microsandbox | ((c: ContextLike) => Microsandbox);

/**
 * Builds the default client: `Microsandbox.fromEnv(c.env)` when the bindings hold
 * `MSB_API_KEY` (Workers), else `Microsandbox.fromEnv()`, built once. On Workers the client is
 * built per request: workerd refuses to let one request use a socket another request opened, and
 * a client shares its exec sockets between calls.
 */
export function defaultClients(): (c: ContextLike) => Microsandbox {
  let fromRuntime: Microsandbox | undefined;
  return (c) => {
    const env = c.env;
    if (typeof env === "object" && env !== null && "MSB_API_KEY" in env) {
      return Microsandbox.fromEnv(env as Record<string, unknown>);
    }
    return fromRuntime ??= Microsandbox.fromEnv();
  };
}

/** The client `source` gives for `c`; a failure to build one is the server's (`internal`). */
export function clientOf(source: ClientSource, c: ContextLike): Microsandbox {
  if (source instanceof Microsandbox) return source;
  try {
    return source(c);
  } catch (error) {
    throw new RouteError(
      "internal",
      "The microsandbox client is not configured on this server.",
      { cause: error },
    );
  }
}
