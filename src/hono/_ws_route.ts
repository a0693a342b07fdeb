// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Context, Hono } from "hono";
import type { Guard } from "./_guard.ts";
import { type BridgeInit, WebSocketBridge } from "./_ws_bridge.ts";
import type { ContextLike } from "./context.ts";
import { RouteError } from "./errors.ts";
import type { Principal } from "./options.ts";
import { upgradeOnWorkers, workersWebSocketPair } from "./_workers_upgrade.ts";
import { originAllowed } from "./_origin.ts";

/**
 * `GET /:name/ws`: the WebSocket bridge to one process. Every check (who, which sandbox, which
 * page, which command, the query) runs before the upgrade, so a refusal is a plain JSON error. On Cloudflare
 * Workers the route upgrades with the runtime's `WebSocketPair` itself, with or without the app's
 * `upgradeWebSocket`, whose Workers version never reports the socket open.
 */
export function wsRoute<P extends Principal>(app: Hono, guard: Guard<P>): void {
  const checked = new WeakMap<Request, BridgeInit>();
  const upgrade = guard.options.upgradeWebSocket?.((c) => {
    const init = checked.get(c.req.raw);
    if (!init) {
      throw new RouteError("internal", "The WebSocket was not checked before its upgrade.");
    }
    return new WebSocketBridge(init).events();
  });
  const workersPair = workersWebSocketPair();
  app.get("/:name/ws", async (c, next) => {
    if (!upgrade && !workersPair) {
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
    const command = commandOf(c);
    await guard.command(command.cmd, command.args, principal, c);
    const sandbox = await client.sandboxes.get(name, { signal: c.req.raw.signal });
    const init = { sandbox, ...command, timeout: guard.options.maxExecMs };
    if (workersPair) return upgradeOnWorkers(workersPair, new WebSocketBridge(init).events());
    checked.set(c.req.raw, init);
    return await upgrade!(c, next) ?? undefined;
  });
}

/** The command of the query: `cmd`, repeated `arg`, `tty=1`, `rows`, `cols`. */
function commandOf(c: Context): Omit<BridgeInit, "sandbox" | "timeout"> {
  const cmd = c.req.query("cmd");
  if (!cmd) throw new RouteError("invalid_request", "The query parameter cmd is required.");
  return {
    cmd,
    args: c.req.queries("arg") ?? [],
    tty: c.req.query("tty") === "1",
    rows: size(c, "rows"),
    cols: size(c, "cols"),
  };
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
