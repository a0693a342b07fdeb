// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// A WebSocket upgrade on the preview route, once who asks, the name and the port passed: the
// page's origin is checked, the route opens its own WebSocket to the sandbox's server, and only
// once that server has accepted is the client upgraded. So a refusal, a server that answers
// anything but 101, and the time limit are all plain JSON errors, as for any preview request.

import type { Microsandbox } from "../client/microsandbox.ts";
import { ProtocolError } from "../errors.ts";
import type { WebSocketConnection, WebSocketOpenInfo } from "../ws/web_socket_connection.ts";
import type { ContextLike } from "./context.ts";
import { RouteError } from "./errors.ts";
import { originAllowed, type OriginCheck } from "./_origin.ts";
import { headDeadline } from "./_preview.ts";
import type { ResolvedPreview } from "./_preview_options.ts";
import { PreviewSocketBridge } from "./_preview_socket.ts";
import type { SocketUpgrade } from "./_socket_upgrade.ts";

/** Where a checked preview upgrade goes. */
export interface UpgradeTarget {
  client: Microsandbox;
  name: string;
  port: number;
  /** The URL in the sandbox: its path and query are the handshake's. */
  url: URL;
}

/**
 * Bridges the upgrade of `c` to a WebSocket server in the sandbox.
 *
 * The client's first subprotocol, if it offers any, is offered to the sandbox's server: Hono's
 * helpers answer the client with that one, whatever the server picks.
 */
export async function previewUpgrade(
  c: ContextLike,
  next: () => Promise<void>,
  sockets: SocketUpgrade,
  target: UpgradeTarget,
  options: ResolvedPreview & { origin: OriginCheck },
): Promise<Response | undefined> {
  checkUpgrade(c, sockets);
  if (!(await originAllowed(options.origin, c))) {
    throw new RouteError("forbidden", "Pages of this origin may not open this WebSocket.");
  }
  const tunnel = new AbortController();
  const { connection, open } = await openUpstream(c, target, options, tunnel.signal);
  const abort = () => tunnel.abort();
  const bridge = new PreviewSocketBridge({
    connection,
    open,
    maxPendingBytes: options.maxMessageBytes,
    abort,
  });
  try {
    const response = await sockets.upgrade(c, next, bridge.events(), open.protocol);
    if (!response) abort();
    return response;
  } catch (error) {
    abort();
    throw error;
  }
}

/**
 * Opens the route's WebSocket to the sandbox's server, within `maxHeadMs`; the client going away
 * meanwhile closes it. Once open, only `signal` closes its tunnel at once: an upgrade ends the
 * request (and aborts its signal) on some runtimes.
 */
async function openUpstream(
  c: ContextLike,
  target: UpgradeTarget,
  options: ResolvedPreview,
  signal: AbortSignal,
): Promise<{ connection: WebSocketConnection; open: WebSocketOpenInfo }> {
  const gone = new AbortController();
  const deadline = headDeadline(options.maxHeadMs);
  const dropped = () => gone.abort(c.req.raw.signal.reason);
  c.req.raw.signal.addEventListener("abort", dropped);
  try {
    const opening = AbortSignal.any([signal, gone.signal, deadline.signal]);
    const sandbox = await target.client.sandboxes.get(target.name, { signal: opening });
    const offered = c.req.header("sec-websocket-protocol")?.split(",")[0]?.trim();
    const connection = sandbox.webSocket(target.port, target.url.pathname + target.url.search, {
      protocols: offered ? [offered] : [],
      maxMessageSize: options.maxMessageBytes,
      signal: opening,
    });
    return { connection, open: await connection.opened };
  } catch (error) {
    throw deadline.signal.aborted ? deadline.signal.reason : refusal(error);
  } finally {
    deadline.clear();
    c.req.raw.signal.removeEventListener("abort", dropped);
  }
}

/** Only a WebSocket upgrade, with GET, where the runtime can upgrade. */
function checkUpgrade(c: ContextLike, sockets: SocketUpgrade): void {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new RouteError("unsupported", "The preview route bridges WebSocket upgrades only.");
  }
  if (c.req.method !== "GET") {
    throw new RouteError("invalid_request", "A WebSocket upgrade must be a GET request.");
  }
  if (!sockets.enabled) {
    throw new RouteError("unsupported", "WebSockets are not enabled on this server.");
  }
}

/** A server that does not accept the upgrade is the sandbox server's failure. */
function refusal(error: unknown): unknown {
  if (!(error instanceof ProtocolError)) return error;
  return new RouteError(
    "upstream_error",
    "The sandbox's server did not accept the WebSocket upgrade.",
    { cause: error },
  );
}
