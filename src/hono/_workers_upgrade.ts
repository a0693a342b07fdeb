// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { WebSocketEventsLike, WebSocketPeerLike } from "./context.ts";

/** The server end of a workerd `WebSocketPair`. */
interface WorkersSocket extends EventTarget {
  readonly readyState: number;
  /** Bytes queued by `send`, where workerd tells it. */
  readonly bufferedAmount?: number;
  accept(): void;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
}

/** workerd's `WebSocketPair` constructor. */
export type WebSocketPairConstructor = new () => { 0: WorkersSocket; 1: WorkersSocket };

/**
 * workerd's `WebSocketPair`, when this code runs on Cloudflare Workers.
 *
 * @returns The constructor, or `undefined` elsewhere.
 */
export function workersWebSocketPair(): WebSocketPairConstructor | undefined {
  return (globalThis as { WebSocketPair?: WebSocketPairConstructor }).WebSocketPair;
}

/**
 * Upgrades to a WebSocket on Cloudflare Workers with a `WebSocketPair`, and calls `onOpen` as soon
 * as the server end is accepted. Hono's `hono/cloudflare-workers` helper never calls `onOpen` (a
 * Workers socket is open once accepted), so a bridge that starts its process there would never
 * start.
 *
 * @param Pair workerd's `WebSocketPair`.
 * @param events The socket's handlers.
 * @param protocol The subprotocol to answer with, if any.
 * @returns The 101 response that hands the client end to the runtime.
 */
export function upgradeOnWorkers(
  Pair: WebSocketPairConstructor,
  events: WebSocketEventsLike,
  protocol?: string,
): Response {
  const pair = new Pair();
  const server = pair[1];
  // `raw`, as in Hono's socket, is where the bridge reads the send backlog.
  const peer: WebSocketPeerLike & { readonly raw: WorkersSocket } = {
    raw: server,
    get readyState() {
      return server.readyState;
    },
    send: (data) => server.send(data),
    close: (code, reason) => server.close(code, reason),
  };
  server.addEventListener("message", (event) => events.onMessage?.(event as MessageEvent, peer));
  server.addEventListener("close", (event) => events.onClose?.(event, peer));
  server.addEventListener("error", (event) => events.onError?.(event, peer));
  server.accept();
  events.onOpen?.(new Event("open"), peer);
  // `webSocket` is how a Workers response hands over the client end.
  const headers: HeadersInit = protocol ? { "sec-websocket-protocol": protocol } : {};
  return new Response(null, { status: 101, headers, webSocket: pair[0] } as ResponseInit);
}
