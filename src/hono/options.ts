// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { MAX_TIMER_MS } from "../config/_timer_ms.ts";
import type { SandboxSpec } from "../models/sandbox_spec.ts";
import type { ClientSource } from "./_client.ts";
import { type CreatePolicy, createPolicy } from "./_create_policy.ts";
import { type CommandField, commandFields } from "./_command_fields.ts";
import type { CommandRequest } from "./command_request.ts";
import { type OriginCheck, originCheck } from "./_origin.ts";
import type { ContextLike, UpgradeWebSocketLike } from "./context.ts";
import type { CreateRule } from "./create_rule.ts";
import { type FileAccess, insideWorkdir } from "./file_access.ts";
import type { PortAccess } from "./port_access.ts";
import type { PreviewOptions } from "./preview_options.ts";
import { type ResolvedPreview, resolvePreview } from "./_preview_options.ts";

/**
 * Whatever {@linkcode SandboxRoutesOptions.authorize} returns to allow a request.
 *
 * @example An `authorize` hook that looks bearer tokens up
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type ContextLike, type Principal, sandboxRoutes } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * function byToken<P extends Principal>(tokens: ReadonlyMap<string, P>): (c: ContextLike) => P | null {
 *   return (c) => tokens.get(c.req.header("authorization")?.replace(/^Bearer /, "") ?? "") ?? null;
 * }
 *
 * interface Tenant {
 *   tenant: string;
 * }
 * const tenants = new Map<string, Tenant>([["acme-token", { tenant: "acme" }]]);
 * const client = new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" });
 * const app = new Hono().route("/", sandboxRoutes<Tenant>({
 *   authorize: byToken(tenants),
 *   scope: (name, principal) => name.startsWith(`${principal.tenant}-`),
 *   client,
 * }));
 * const headers = { authorization: "Bearer acme-token" };
 * assert.equal((await app.request("/globex-db", { headers })).status, 404); // out of scope
 * assert.equal((await app.request("/acme-db")).status, 401); // no token
 * ```
 */
export type Principal = NonNullable<unknown>;

/**
 * Options of `sandboxRoutes`; only `authorize` is required.
 *
 * @example Let only admins run any command
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { sandboxRoutes, type SandboxRoutesOptions } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * interface User {
 *   admin: boolean;
 * }
 * const users: Record<string, User> = {
 *   "Bearer root-token": { admin: true },
 *   "Bearer dev-token": { admin: false },
 * };
 * const options: SandboxRoutesOptions<User> = {
 *   authorize: (c) => users[c.req.header("authorization") ?? ""],
 *   commands: ({ cmd, args }, user) => user.admin || (cmd === "echo" && args.length <= 1),
 *   maxBodyBytes: 16 * 1024,
 *   maxExecMs: 10_000,
 *   client: new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" }),
 * };
 * const app = new Hono().route("/", sandboxRoutes(options));
 * const refused = await app.request("/dev-box/exec", {
 *   method: "POST",
 *   headers: { authorization: "Bearer dev-token", "content-type": "application/json" },
 *   body: JSON.stringify({ cmd: "rm", args: ["-rf", "/tmp/cache"] }),
 * });
 * assert.equal(refused.status, 403);
 * assert.equal((await refused.json()).error.code, "forbidden");
 * ```
 */
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
   * Which commands the principal may run (exec and the WebSocket bridge), given the whole parsed
   * request: program, arguments, env, cwd, user, terminal, stdin and time limit, frozen. It runs
   * after the body (or query) is checked and before any request to the cloud; `false` is 403
   * `forbidden`. Compare argv with an allow-list of exact command lines: a shell or an
   * interpreter with free arguments runs anything. By default every command.
   *
   * Earlier versions passed `(cmd, args, principal, c)`: an old allow-list such as
   * `(cmd) => list.includes(cmd)` now gets an object and refuses everything (fail-safe), but an
   * old deny-list such as `(cmd) => cmd !== "rm"` allows everything: rewrite both.
   */
  commands?:
    | ((command: CommandRequest, principal: P, c: ContextLike) => boolean | Promise<boolean>)
    | undefined;
  /**
   * Which of `env`, `cwd` and `user` callers may set (exec body, WebSocket query). A request
   * that sets another is 403 `forbidden` before `commands` runs: each changes what an allowed
   * argv does (`BASH_ENV` or `ENV` make a shell run a file, `LD_PRELOAD` loads a library into
   * any program, a `cwd` picks which files a relative path names, a `user` picks whose rights
   * it has). The fields listed reach `commands`, so check their values there.
   * @default {[]}
   */
  commandFields?: readonly ("env" | "cwd" | "user")[] | undefined;
  /**
   * The most bytes a request body may have; more is 413 `payload_too_large`.
   * @default {1048576}
   */
  maxBodyBytes?: number | undefined;
  /**
   * Told of each failure the routes answer with a 5xx status (an upstream error, a timeout, a
   * bug), with the request's context, for your logs: the answer itself holds only a generic
   * message. The library's errors never hold the API key. By default nothing is logged.
   */
  onError?: ((error: unknown, c: ContextLike) => void) | undefined;
  /**
   * The most milliseconds an exec may run; then it is killed and the route answers 504
   * `timeout` (JSON) or ends with an `error` event (streams). A body's `timeoutMs` may only
   * shorten it.
   * @default {60000}
   */
  maxExecMs?: number | undefined;
  /**
   * Hono's `upgradeWebSocket` for your runtime (`hono/deno`, `hono/bun`); without it
   * `GET /:name/ws` and WebSocket upgrades of the preview route answer 501 `unsupported`. Not needed on Cloudflare Workers, where the route
   * upgrades with the runtime's `WebSocketPair` itself.
   */
  upgradeWebSocket?: UpgradeWebSocketLike | undefined;
  /**
   * Which pages may open `GET /:name/ws`, and the preview route's WebSockets unless
   * `preview.origin` says otherwise: a list of origins (`https://app.example.com`, compared
   * exactly with the upgrade's `Origin`), or a function of the origin and the context. An upgrade
   * from any other origin is 403 `forbidden`, before any request to the cloud. An upgrade without
   * `Origin` (not from a browser) is always allowed. By default only pages of the request's own
   * host (its `Host`, any scheme); behind a proxy that changes the host, list your origins.
   */
  origin?:
    | readonly string[]
    | ((origin: string, c: ContextLike) => boolean | Promise<boolean>)
    | undefined;
  /**
   * The client, or how to build it from the context. By default the one the `microsandbox()`
   * middleware set, else `Microsandbox.fromEnv(c.env)` when `c.env` holds `MSB_API_KEY`, else
   * `Microsandbox.fromEnv()`.
   */
  client?: ClientSource | undefined;
  /**
   * The secret list cursors are sealed under (AES-GCM): tenants get cursors that reveal nothing
   * of the cloud's own, and any cursor this app did not give is 400 `invalid_request`. Give the
   * same secret to every instance behind one URL so their cursors work on each other. By default a
   * random key made once per `sandboxRoutes()`, so cursors stay valid for that process only.
   */
  cursorSecret?: string | undefined;
  /**
   * Which spec `POST /` asks the cloud for: a {@linkcode CreateRule} (the images, resource bounds
   * and further fields callers may choose; any other body field is 403 `forbidden`), or a function
   * from the body (the JSON object as sent), the principal and the context to the spec, which
   * may throw a `RouteError`. Either way the spec's name must be valid and in `scope` (else 400
   * or 404), and unless it sets a slug the routes send one of their own, which no tenant can
   * predict, so no slug of another tenant ever changes the answer. By default `{}`: `name`,
   * `image`, up to 2 vCPUs, 2048 MiB of memory and 10240 MiB of disk.
   */
  create?:
    | CreateRule<P>
    | ((
      body: Readonly<Record<string, unknown>>,
      principal: P,
      c: ContextLike,
    ) => SandboxSpec | Promise<SandboxSpec>)
    | undefined;
  /**
   * Which paths the principal may touch through the file routes, and how
   * ({@linkcode FileAccess}: `read`, `write`, `list` or `delete`). It runs after the path is
   * checked (400 `invalid_path` unless normal) and the sandbox is read (for its `workdir`), and
   * before any filesystem request; `false` is 403 `forbidden`. By default
   * {@linkcode insideWorkdir}: inside the working directory the sandbox's spec names, and
   * nothing when it names none.
   */
  files?:
    | ((access: FileAccess, principal: P, c: ContextLike) => boolean | Promise<boolean>)
    | undefined;
  /**
   * The most bytes one `PUT /:name/files/*` may upload, counted while the body streams in (and
   * refused up front when `Content-Length` says more); more is 413 `payload_too_large`, the
   * write in the sandbox aborted and nothing left at the path. Uploads stream, so this bounds
   * what a request writes to the sandbox's disk, not the server's memory.
   * @default {1073741824}
   */
  maxUploadBytes?: number | undefined;
  /**
   * Which ports of a sandbox the principal may reach through the preview route
   * (`/:name/ports/:port/*`), by which method and path ({@linkcode PortAccess}). It runs after
   * the sandbox name is checked and in `scope` and the port is checked (400 unless an integer
   * from 1 to 65535), before any connection into the sandbox; `false` is 403 `forbidden`. By
   * default no port at all.
   */
  ports?:
    | ((access: PortAccess, principal: P, c: ContextLike) => boolean | Promise<boolean>)
    | undefined;
  /**
   * The preview route's filters and bounds ({@linkcode PreviewOptions}): the request fields and
   * query parameters never forwarded (the app's credentials), the `Content-Security-Policy` of
   * the answers, the body limit and the time to the answer's head.
   */
  preview?: PreviewOptions | undefined;
}

/** The options with their defaults applied and checked. */
export interface ResolvedRoutesOptions<P extends Principal> {
  authorize: SandboxRoutesOptions<P>["authorize"];
  scope: NonNullable<SandboxRoutesOptions<P>["scope"]> | undefined;
  commands: NonNullable<SandboxRoutesOptions<P>["commands"]> | undefined;
  commandFields: ReadonlySet<CommandField>;
  maxBodyBytes: number;
  onError: ((error: unknown, c: ContextLike) => void) | undefined;
  maxExecMs: number;
  upgradeWebSocket: UpgradeWebSocketLike | undefined;
  origin: OriginCheck;
  client: ClientSource | undefined;
  cursorSecret: string | undefined;
  create: CreatePolicy<P>;
  files: NonNullable<SandboxRoutesOptions<P>["files"]>;
  maxUploadBytes: number;
  ports: NonNullable<SandboxRoutesOptions<P>["ports"]>;
  preview: ResolvedPreview;
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
  for (
    const hook of ["scope", "commands", "upgradeWebSocket", "onError", "files", "ports"] as const
  ) {
    if (options[hook] !== undefined && typeof options[hook] !== "function") {
      throw new TypeError(`sandboxRoutes: options.${hook} must be a function`);
    }
  }
  return {
    authorize: options.authorize,
    scope: options.scope,
    commands: options.commands,
    commandFields: commandFields(options.commandFields),
    maxBodyBytes: positive("maxBodyBytes", options.maxBodyBytes, 1024 * 1024),
    onError: options.onError,
    maxExecMs: positive("maxExecMs", options.maxExecMs, 60_000),
    upgradeWebSocket: options.upgradeWebSocket,
    origin: originCheck(options.origin),
    client: options.client,
    cursorSecret: cursorSecret(options.cursorSecret),
    create: createPolicy(options.create),
    files: options.files ?? insideWorkdir,
    maxUploadBytes: positive("maxUploadBytes", options.maxUploadBytes, 1024 * 1024 * 1024),
    ports: options.ports ?? noPort,
    preview: resolvePreview(options.preview, positive),
  };
}

/** The default `ports` policy: none. */
function noPort(): boolean {
  return false;
}

function cursorSecret(secret: string | undefined): string | undefined {
  if (secret === undefined || (typeof secret === "string" && secret.length > 0)) return secret;
  throw new TypeError("sandboxRoutes: options.cursorSecret must be a non-empty string");
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const max = name.endsWith("Ms") ? MAX_TIMER_MS : Infinity;
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new RangeError(
      `sandboxRoutes: options.${name} must be a positive number of ${
        name.endsWith("Ms") ? `milliseconds up to ${MAX_TIMER_MS}` : "bytes"
      }`,
    );
  }
  return value;
}
