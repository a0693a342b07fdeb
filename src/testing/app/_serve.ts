/**
 * The local cloud's HTTP server: Deno's, on `127.0.0.1`, with a close that gives in-flight
 * requests a grace period before it cuts their connections.
 *
 * @module
 */

import type { Hono } from "hono";
import { errorResponse } from "./_error_body.ts";

/** How long close() lets in-flight requests finish before cutting their connections. */
const CLOSE_GRACE_MS = 1000;

/** A running server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  /**
   * Stops accepting connections, gives in-flight requests up to a second, cuts the rest, and
   * waits until the server has finished.
   *
   * @returns A promise that resolves once the server has shut down.
   */
  close(): Promise<void>;
}

/**
 * Serves the app on loopback.
 *
 * @param app The app.
 * @param port The port; 0 picks a free one.
 * @returns The running server.
 */
export function serveLoopback(app: Hono, port: number): LoopbackServer {
  const forceClose = new AbortController();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port,
    signal: forceClose.signal,
    onListen: () => {},
    onError: () => errorResponse(500, "internal_error", "The local cloud failed to respond"),
  }, app.fetch);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    close: async () => {
      const force = setTimeout(() => forceClose.abort(), CLOSE_GRACE_MS);
      try {
        await server.shutdown();
      } finally {
        clearTimeout(force);
      }
      await server.finished;
    },
  };
}
