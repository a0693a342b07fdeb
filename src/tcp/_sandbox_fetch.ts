// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// `sandbox.fetch(port, input, init)`: one HTTP/1.1 exchange over a TCP connection of its own
// into the sandbox. The URL's host names the server in `Host` only; the port picks the tunnel.

import { fetchHttp1, type FetchHttp1Options } from "../http1/fetch_http1.ts";
import { connectTarget } from "./_connect_target.ts";
import type { SandboxSocket } from "./sandbox_socket.ts";

/** Opens the connection to the port, closed by `signal`. */
export type OpenTunnel = (port: number, signal: AbortSignal) => SandboxSocket;

/**
 * The request `input` and `init` describe, a bare path (`"/index.html"`) read against
 * `http://localhost:<port>`; a bad port is an `InvalidConfigError` first.
 */
export function sandboxRequest(
  port: number,
  input: RequestInfo | URL,
  init?: RequestInit,
): Request {
  connectTarget(port);
  if (input instanceof Request) return new Request(input, init);
  return new Request(new URL(input, `http://localhost:${port}`), init);
}

/**
 * Sends the request through a fresh connection to `port` and resolves with the response once
 * its head is in; the connection ends with the response body, or with the request's signal. When
 * the connection cannot be made, the request's body is cancelled with the reason.
 */
export async function fetchThrough(
  open: OpenTunnel,
  port: number,
  request: Request,
  options: FetchHttp1Options = {},
): Promise<Response> {
  const socket = open(port, request.signal);
  try {
    await socket.opened;
  } catch (error) {
    await Promise.all([socket.close(), request.body?.cancel(error)]).catch(() => {});
    throw error;
  }
  return await fetchHttp1(socket, request, options);
}
