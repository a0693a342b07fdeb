// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { ClientSource } from "./_client.ts";
import type { ContextLike, UpgradeWebSocketLike } from "./context.ts";

/** Whatever {@linkcode SandboxRoutesOptions.authorize} returns to allow a request. */
export type Principal = NonNullable<unknown>;

/** Options of `sandboxRoutes`; only `authorize` is required. */
export interface SandboxRoutesOptions<P extends Principal = Principal> {
  /**
   * Who makes the request: return a principal (any truthy value) to allow it, or `false`,
   * `null` or `undefined` to refuse it with 401 `unauthorized`. It runs first on every route.
   */
  authorize: (
    c: ContextLike,
  ) => P | false | null | undefined | Promise<P | false | null | undefined>;
  /**
   * Which sandbox names the principal may touch; every other name is 404 `not_found` and hidden
   * from the list. By default every name.
   */
  scope?: ((name: string, principal: P, c: ContextLike) => boolean | Promise<boolean>) | undefined;
  /**
   * Which commands the principal may run (exec and the WebSocket bridge); `false` is 403
   * `forbidden`. By default every command.
   */
  commands?:
    | ((
      cmd: string,
      args: readonly string[],
      principal: P,
      c: ContextLike,
    ) => boolean | Promise<boolean>)
    | undefined;
  /**
   * The most bytes a request body may have; more is 413 `payload_too_large`.
   * @default {1048576}
   */
  maxBodyBytes?: number | undefined;
  /**
   * The most milliseconds an exec may run; then it is killed and the route answers 504
   * `timeout` (JSON) or ends with an `error` event (streams). A body's `timeoutMs` may only
   * shorten it.
   * @default {60000}
   */
  maxExecMs?: number | undefined;
  /**
   * Hono's `upgradeWebSocket` for your runtime (`hono/deno`, `hono/bun`); without it
   * `GET /:name/ws` answers 501 `unsupported`. Not needed on Cloudflare Workers, where the route
   * upgrades with the runtime's `WebSocketPair` itself.
   */
  upgradeWebSocket?: UpgradeWebSocketLike | undefined;
  /**
   * The client, or how to build it from the context. By default the one the `microsandbox()`
   * middleware set, else `Microsandbox.fromEnv(c.env)` when `c.env` holds `MSB_API_KEY`, else
   * `Microsandbox.fromEnv()`.
   */
  client?: ClientSource | undefined;
}

/** The options with their defaults applied and checked. */
export interface ResolvedRoutesOptions<P extends Principal> {
  authorize: SandboxRoutesOptions<P>["authorize"];
  scope: NonNullable<SandboxRoutesOptions<P>["scope"]> | undefined;
  commands: NonNullable<SandboxRoutesOptions<P>["commands"]> | undefined;
  maxBodyBytes: number;
  maxExecMs: number;
  upgradeWebSocket: UpgradeWebSocketLike | undefined;
  client: ClientSource | undefined;
}

/** Checks the options at run time (JavaScript callers included) and applies the defaults. */
export function resolveRoutesOptions<P extends Principal>(
  options: SandboxRoutesOptions<P>,
): ResolvedRoutesOptions<P> {
  if (typeof options?.authorize !== "function") {
    throw new TypeError(
      "sandboxRoutes: options.authorize is required: a function that returns a principal to allow a request, or false/null/undefined to refuse it",
    );
  }
  for (const hook of ["scope", "commands", "upgradeWebSocket"] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== "function") {
      throw new TypeError(`sandboxRoutes: options.${hook} must be a function`);
    }
  }
  return {
    authorize: options.authorize,
    scope: options.scope,
    commands: options.commands,
    maxBodyBytes: positive("maxBodyBytes", options.maxBodyBytes, 1024 * 1024),
    maxExecMs: positive("maxExecMs", options.maxExecMs, 60_000),
    upgradeWebSocket: options.upgradeWebSocket,
    client: options.client,
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `sandboxRoutes: options.${name} must be a positive number of ${
        name.endsWith("Ms") ? "milliseconds" : "bytes"
      }`,
    );
  }
  return value;
}
