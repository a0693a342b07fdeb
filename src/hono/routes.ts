// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { Hono } from "hono";
import { execRoute } from "./_exec_route.ts";
import { filesRoute } from "./_files_route.ts";
import { Guard } from "./_guard.ts";
import { lifecycleRoutes } from "./_lifecycle_routes.ts";
import { logsRoute } from "./_logs_route.ts";
import { portsRoute } from "./_ports_route.ts";
import { wsRoute } from "./_ws_route.ts";
import type { ContextLike } from "./context.ts";
import { RouteError, toRouteError } from "./errors.ts";
import { type Principal, resolveRoutesOptions, type SandboxRoutesOptions } from "./options.ts";

/**
 * The Hono sub-app that {@linkcode sandboxRoutes} returns; mount it with `app.route(path, it)`.
 *
 * It is typed `any` on purpose. Hono's `Hono` class is nominal (it has private members), so
 * `app.route()` accepts no structural type, while naming Hono's class here would tie callers to
 * one copy of Hono (npm or JSR) and put Hono's types in this module's API. For typed RPC calls,
 * give the schema to Hono yourself: `hc<Hono<{}, SandboxRoutesSchema>>(url)`.
 *
 * @example Mount the sub-app under a prefix
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { sandboxRoutes, type SandboxRoutesApp } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const client = new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" });
 * const routes: SandboxRoutesApp = sandboxRoutes({ authorize: () => ({ user: "ci" }), client });
 * const app = new Hono().route("/api/sandboxes", routes);
 * const unknown = await app.request("/api/sandboxes/build-42/restart", { method: "POST" });
 * assert.equal(unknown.status, 404);
 * assert.equal((await unknown.json()).error.code, "not_found");
 * ```
 */
// deno-lint-ignore no-explicit-any
export type SandboxRoutesApp = any;

/**
 * The sandbox routes as a Hono sub-app: list, create, read, start, stop and remove sandboxes,
 * run commands (JSON, NDJSON or SSE), follow logs (SSE or NDJSON), bridge a process to a
 * WebSocket, download, upload, list and remove the sandbox's files (`/:name/files/*`), and reach
 * the HTTP servers it runs (`/:name/ports/:port/*`, the preview route). Every route asks
 * `authorize` first, checks sandbox names (and file paths, ports) before any request to the
 * cloud, hides names out of `scope`, applies the command, files and ports policies, the body and
 * upload limits and the time limits, and answers failures as `{ error: { code, message } }`.
 *
 * @param options `authorize` (required), and optionally `scope`, `commands`, `commandFields`,
 * `maxBodyBytes`, `maxExecMs`, `upgradeWebSocket`, `origin`, `client`, `onError`, `cursorSecret`,
 * `create`, `files`, `maxUploadBytes`, `ports` and `preview`.
 * @returns The sub-app, for `app.route(path, …)`.
 * @throws {TypeError} When `authorize` is missing, a hook (`files`, `ports` included) is not a
 * function, `preview` holds a bad list or CSP, `commandFields`
 * lists something other than `"env"`, `"cwd"` and `"user"`, or `create` is neither a rule nor a
 * function.
 * @throws {RangeError} When a limit or bound is not a positive number.
 *
 * @example Mount the routes
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { sandboxRoutes } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const client = new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" });
 * const app = new Hono();
 * app.route("/api/sandboxes", sandboxRoutes({
 *   authorize: (c) => c.req.header("authorization") === "Bearer app-token" ? { tenant: "acme" } : null,
 *   scope: (name, principal) => name.startsWith(`${principal.tenant}-`),
 *   client,
 * }));
 * const refused = await app.request("/api/sandboxes");
 * assert.equal(refused.status, 401);
 * assert.equal((await refused.json()).error.code, "unauthorized");
 * ```
 */
export function sandboxRoutes<P extends Principal>(
  options: SandboxRoutesOptions<P>,
): SandboxRoutesApp {
  const guard = new Guard(resolveRoutesOptions(options));
  const app = new Hono();
  app.onError((error, c) => {
    const answer = toRouteError(error);
    if (answer.status >= 500 && !clientLeft(error, c)) report(guard.options.onError, error, c);
    return answer.toResponse();
  });
  lifecycleRoutes(app, guard);
  execRoute(app, guard);
  logsRoute(app, guard);
  wsRoute(app, guard);
  filesRoute(app, guard);
  portsRoute(app, guard);
  app.all("*", async (c) => {
    await guard.admit(c);
    throw new RouteError("not_found", "No such route.");
  });
  return app;
}

/** Whether the failure is the request's own abort: its client went away, no server failure. */
function clientLeft(error: unknown, c: ContextLike): boolean {
  const signal = c.req.raw.signal;
  return signal.aborted && error === signal.reason;
}

/** Tells `onError` of a failure; what it throws must not replace the answer. */
function report(
  onError: ((error: unknown, c: ContextLike) => void) | undefined,
  error: unknown,
  c: ContextLike,
): void {
  try {
    onError?.(error, c);
  } catch {
    // The hook's own failure is the app's to see in its hook.
  }
}
