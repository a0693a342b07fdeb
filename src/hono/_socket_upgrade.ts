// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// How a route turns a checked request into a WebSocket: with workerd's `WebSocketPair` on
// Cloudflare Workers, else with the app's `upgradeWebSocket`. Hono builds an upgrade handler
// once, from a function of the context, so the handlers a route made for this request wait in
// a table keyed by the request until the helper asks for them.

import type { ContextLike, UpgradeWebSocketLike, WebSocketEventsLike } from "./context.ts";
import { RouteError } from "./errors.ts";
import { upgradeOnWorkers, workersWebSocketPair } from "./_workers_upgrade.ts";

/** Upgrades checked requests; `enabled` is false when the runtime and the app give no way. */
export interface SocketUpgrade {
  readonly enabled: boolean;
  /**
   * Upgrades the request of `c` and hands the socket to `events`, answering with `protocol`
   * where the runtime lets the route choose (on Workers; Hono's helpers answer with the first
   * subprotocol the client offered).
   */
  upgrade(
    c: ContextLike,
    next: () => Promise<void>,
    events: WebSocketEventsLike,
    protocol?: string,
  ): Promise<Response | undefined>;
}

/**
 * The upgrade of a route, made once when the routes are built.
 *
 * @param upgradeWebSocket The app's `upgradeWebSocket` option.
 * @returns The upgrade.
 */
export function socketUpgrade(upgradeWebSocket: UpgradeWebSocketLike | undefined): SocketUpgrade {
  const waiting = new WeakMap<Request, WebSocketEventsLike>();
  const helper = upgradeWebSocket?.((c) => {
    const events = waiting.get(c.req.raw);
    if (!events) {
      throw new RouteError("internal", "The WebSocket was not checked before its upgrade.");
    }
    return events;
  });
  const Pair = workersWebSocketPair();
  return {
    enabled: helper !== undefined || Pair !== undefined,
    async upgrade(c, next, events, protocol) {
      if (Pair) return upgradeOnWorkers(Pair, events, protocol);
      if (!helper) {
        throw new RouteError("unsupported", "WebSockets are not enabled on this server.");
      }
      waiting.set(c.req.raw, events);
      return await helper(c, next) ?? undefined;
    },
  };
}
