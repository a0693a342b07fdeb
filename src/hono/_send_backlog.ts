// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// How many bytes a server WebSocket has queued and not sent yet, read from the runtime's own
// socket, and a wait until that backlog is small again. No runtime fires an event when its send
// queue drains (Bun's `drain` is not passed on by Hono), so the wait polls, more slowly the longer
// the client stalls.

import type { WebSocketPeerLike } from "./context.ts";

/** Bytes a WebSocket may have queued before the bridge stops reading its process. */
export const MAX_SEND_BACKLOG = 1024 * 1024;

const FIRST_POLL_MS = 1;
const LAST_POLL_MS = 16;

/** What a runtime's server socket says of its queue: Deno, Node's `ws`, workerd; Bun. */
interface QueueReport {
  bufferedAmount?: unknown;
  getBufferedAmount?: unknown;
}

/**
 * The bytes `ws` has queued, from Hono's `raw` socket (Deno, Bun, Node) or the peer itself.
 *
 * @param ws The socket of a WebSocket route.
 * @returns The bytes, or `undefined` when the runtime does not tell.
 */
export function sendBacklog(ws: WebSocketPeerLike): number | undefined {
  const raw = (ws as { raw?: unknown }).raw;
  const socket = (typeof raw === "object" && raw !== null ? raw : ws) as QueueReport;
  const amount = typeof socket.getBufferedAmount === "function"
    ? socket.getBufferedAmount()
    : socket.bufferedAmount;
  return typeof amount === "number" ? amount : undefined;
}

/**
 * Waits until `ws` has at most {@linkcode MAX_SEND_BACKLOG} bytes queued, or `stop()` holds.
 *
 * @param ws The socket.
 * @param stop Whether to give up waiting (the socket closed).
 */
export async function drained(ws: WebSocketPeerLike, stop: () => boolean): Promise<void> {
  let pause = FIRST_POLL_MS;
  while (!stop() && (sendBacklog(ws) ?? 0) > MAX_SEND_BACKLOG) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(LAST_POLL_MS, pause * 2);
  }
}
