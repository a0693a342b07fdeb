// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Context, Hono } from "hono";
import { queryEnv } from "./_command_env.ts";
import { commandRequest } from "./_command_request.ts";
import type { Guard } from "./_guard.ts";
import { type BridgeInit, WebSocketBridge } from "./_ws_bridge.ts";
import type { ContextLike } from "./context.ts";
import { RouteError } from "./errors.ts";
import type { Principal } from "./options.ts";
import { socketUpgrade } from "./_socket_upgrade.ts";
import { originAllowed } from "./_origin.ts";

/**
 * `GET /:name/ws`: the WebSocket bridge to one process. Every check (who, which sandbox, which
 * page, the query, which command) runs before the upgrade, so a refusal is a plain JSON error.
 * On Cloudflare Workers the route upgrades with the runtime's `WebSocketPair` itself, with or
 * without the app's `upgradeWebSocket`, whose Workers version never reports the socket open.
 */
export function wsRoute<P extends Principal>(app: Hono, guard: Guard<P>): void {
  const sockets = socketUpgrade(guard.options.upgradeWebSocket);
  app.get("/:name/ws", async (c, next) => {
    if (!sockets.enabled) {
      throw new RouteError("unsupported", "WebSockets are not enabled on this server.");
    }
    const { principal, client } = await guard.admit(c);
    const name = await guard.name(c, principal);
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new RouteError("invalid_request", "This route expects a WebSocket upgrade.");
    }
    if (!(await originAllowed(guard.options.origin, c))) {
      throw new RouteError("forbidden", "Pages of this origin may not open this WebSocket.");
    }
    const { command, rows, cols } = queryCommand(c, guard.options.maxExecMs);
    await guard.command(command, principal, c);
    const sandbox = await client.sandboxes.get(name, { signal: c.req.raw.signal });
    const bridge = new WebSocketBridge({ sandbox, command, rows, cols });
    return await sockets.upgrade(c, next, bridge.events());
  });
}

/**
 * The command of the query: `cmd`, repeated `arg`, repeated `env=NAME=value`, `cwd`, `user`,
 * `tty=1`, `rows`, `cols`; the socket always gives stdin, and the bridge runs up to `maxExecMs`.
 */
function queryCommand(c: Context, maxExecMs: number): Omit<BridgeInit, "sandbox"> {
  const cmd = c.req.query("cmd");
  if (!cmd) throw new RouteError("invalid_request", "The query parameter cmd is required.");
  const command = commandRequest({
    route: "ws",
    cmd,
    args: c.req.queries("arg") ?? [],
    env: queryEnv(c.req.queries("env") ?? []),
    cwd: c.req.query("cwd"),
    user: c.req.query("user"),
    tty: c.req.query("tty") === "1",
    stdin: true,
    timeoutMs: maxExecMs,
  });
  return { command, rows: size(c, "rows"), cols: size(c, "cols") };
}

function size(c: ContextLike, key: "rows" | "cols"): number | undefined {
  const text = c.req.query(key);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (Number.isInteger(value) && value >= 1 && value <= 65535) return value;
  throw new RouteError(
    "invalid_request",
    `The query parameter ${key} must be an integer from 1 to 65535.`,
  );
}
