// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { ResolvedOptions } from "../config/client_options.ts";
import { type ByteSocket, openSocket } from "../transport/web_socket.ts";
import { encodePathSegment } from "../transport/_path.ts";

/** What every exec route needs to open its sockets. */
export interface SocketContext {
  /**
   * Opens `/v1/sandboxes/{id}/{leaf}` as a WebSocket with the key and the User-Agent; the caller
   * owns the connect deadline, through `signal`.
   */
  open(id: string, leaf: string, protocols: string[], signal?: AbortSignal): Promise<ByteSocket>;
}

/** Builds the socket opener of a client: `http(s)` becomes `ws(s)`, the path prefix is kept. */
export function socketContext(options: ResolvedOptions): SocketContext {
  const base = options.url.replace(/^http/i, "ws");
  const headers = {
    authorization: `Bearer ${options.apiKey}`,
    "user-agent": options.userAgent,
  };
  return {
    open(id, leaf, protocols, signal) {
      return openSocket(`${base}/v1/sandboxes/${encodePathSegment(id, "sandbox id")}/${leaf}`, {
        headers,
        protocols,
        signal,
        factory: options.webSocket,
        fetch: options.fetch,
        label: leaf === "agent" ? "cloud sandbox agent websocket" : "cloud exec websocket",
      });
    },
  };
}
