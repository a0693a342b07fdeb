// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * Hono adapter: a middleware that puts a microsandbox client on the context, and sandbox routes
 * to mount in your app, guarded by your own `authorize`, `scope` and command policy. It runs
 * unchanged on Deno, Bun, Node and Cloudflare Workers, and names no Hono type in its API.
 *
 * ```ts ignore
 * import { Hono } from "hono";
 * import { upgradeWebSocket } from "hono/deno";
 * import { microsandbox, sandboxRoutes } from "@microsandbox/edge/hono";
 *
 * const app = new Hono();
 * app.use("/api/*", microsandbox()); // Microsandbox.fromEnv(c.env) or fromEnv()
 * app.route("/api/sandboxes", sandboxRoutes({
 *   authorize: (c) => c.req.header("authorization") === "Bearer app-token" ? { tenant: "acme" } : null,
 *   scope: (name, principal) => name.startsWith(`${principal.tenant}-`),
 *   // exact command lines only: no shell, no free arguments; env, cwd and user are refused
 *   commands: ({ cmd, args }) => cmd === "ls" && args.length === 1 && args[0] === "/workspace",
 *   upgradeWebSocket,
 * }));
 * Deno.serve(app.fetch);
 * ```
 *
 * @module
 */

export { getMicrosandbox, microsandbox } from "./middleware.ts";
export type {
  ClientSource,
  MicrosandboxMiddlewareOptions,
  MicrosandboxVariables,
} from "./middleware.ts";
export { sandboxRoutes } from "./routes.ts";
export type { SandboxRoutesApp } from "./routes.ts";
export type { Principal, SandboxRoutesOptions } from "./options.ts";
export type { CreateField, CreateRule } from "./create_rule.ts";
export type { CommandRequest } from "./command_request.ts";
export { insideWorkdir } from "./file_access.ts";
export type { FileAccess } from "./file_access.ts";
export type { PortAccess } from "./port_access.ts";
export type { PreviewOptions } from "./preview_options.ts";
export { ROUTE_ERROR_STATUS, RouteError, toRouteError } from "./errors.ts";
export type { RouteErrorBody, RouteErrorCode } from "./errors.ts";
export { checkSandboxName, isValidSandboxName, MAX_SANDBOX_NAME } from "./names.ts";
export type {
  CreateSandboxBody,
  ExecEventJson,
  ExecRequestBody,
  ExecResultJson,
  FileEntryJson,
  LogEventJson,
  OutputEncoding,
  RouteFailureStatus,
  SandboxJson,
  SandboxRoutesSchema,
  SchemaRoute,
} from "./schema.ts";
export type {
  ContextLike,
  MiddlewareLike,
  MutableContextLike,
  RequestLike,
  RouteHandlerLike,
  UpgradeWebSocketLike,
  WebSocketEventsLike,
  WebSocketPeerLike,
} from "./context.ts";
