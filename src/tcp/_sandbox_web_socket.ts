// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// `sandbox.webSocket(port, path, options)`: a client WebSocket over a TCP connection of its own
// into the sandbox.

import { timerMs } from "../config/_timer_ms.ts";
import { InvalidConfigError } from "../errors.ts";
import { DEFAULT_HTTP1_MAX_HEAD_SIZE } from "../http1/http1_response_parser.ts";
import { DEFAULT_WS_LIMITS } from "../ws/_ws_decoder_stream.ts";
import { checkHandshakeRequest, type HandshakeRequest } from "../ws/_handshake.ts";
import { DEFAULT_CLOSE_TIMEOUT_MS, webSocketOver } from "../ws/_ws_session.ts";
import type { WebSocketConnection } from "../ws/web_socket_connection.ts";
import type { SandboxWebSocketOptions } from "../ws/web_socket_options.ts";
import type { SandboxSocket } from "./sandbox_socket.ts";

/**
 * Checks the options, opens the tunnel to `port` (with the options' signal, by `open`) and runs
 * the WebSocket handshake for `path` over it.
 */
export function webSocketThrough(
  open: (port: number) => SandboxSocket,
  port: number,
  path: string,
  options: SandboxWebSocketOptions,
): WebSocketConnection {
  const max = options.maxMessageSize ?? DEFAULT_WS_LIMITS.maxMessageSize;
  if (!Number.isSafeInteger(max) || max < 0) {
    throw new InvalidConfigError(`maxMessageSize must be a non-negative integer, got ${max}`);
  }
  const closeTimeoutMs = timerMs(
    "closeTimeoutMs",
    options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
  );
  const request: HandshakeRequest = {
    host: `localhost:${port}`,
    path,
    protocols: options.protocols ?? [],
    maxHeadSize: DEFAULT_HTTP1_MAX_HEAD_SIZE,
  };
  checkHandshakeRequest(request);
  const limits = { maxFrameSize: max, maxMessageSize: max };
  return webSocketOver(open(port), request, limits, closeTimeoutMs);
}
