// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { Microsandbox } from "../client/microsandbox.ts";
import type { ContextLike } from "./context.ts";
import { RouteError } from "./errors.ts";

/** A client, or how to build one from the request's context. */
export type ClientSource = Microsandbox | ((c: ContextLike) => Microsandbox);

/**
 * Builds the default client: `Microsandbox.fromEnv(c.env)` when the bindings hold
 * `MSB_API_KEY` (Workers), else `Microsandbox.fromEnv()`. Each is built once per bindings object.
 */
export function defaultClients(): (c: ContextLike) => Microsandbox {
  const byEnv = new WeakMap<object, Microsandbox>();
  let fromRuntime: Microsandbox | undefined;
  return (c) => {
    const env = c.env;
    if (typeof env === "object" && env !== null && "MSB_API_KEY" in env) {
      let client = byEnv.get(env);
      if (!client) byEnv.set(env, client = Microsandbox.fromEnv(env as Record<string, unknown>));
      return client;
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
