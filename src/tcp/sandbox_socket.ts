// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * Where a {@linkcode SandboxSocket} connected, once it has.
 *
 * @example Usage
 * ```ts
 * import type { SocketAddress } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const address: SocketAddress = { remoteHost: "127.0.0.1", remotePort: 8000 };
 * assert.equal(address.remotePort, 8000);
 * ```
 */
export interface SocketAddress {
  /** The host connected to, as the sandbox resolves it. */
  remoteHost: string;
  /** The port connected to. */
  remotePort: number;
}

/**
 * Options of `sandbox.connect`.
 *
 * @example Connect to a server that listens on another address of the sandbox
 * ```ts
 * import type { ConnectOptions } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const options: ConnectOptions = { host: "localhost", signal: AbortSignal.timeout(60_000) };
 * assert.equal(options.host, "localhost");
 * ```
 */
export interface ConnectOptions {
  /**
   * The host to connect to, as the sandbox resolves it: a name, an IPv4 or an IPv6 address
   * (without brackets).
   *
   * @default {"127.0.0.1"}
   */
  host?: string;
  /** Closes the socket (remotely too) when it aborts; the streams then fail with its reason. */
  signal?: AbortSignal;
}

/**
 * A TCP connection into a sandbox, carried over the sandbox's agent socket (`core.tcp.*`), in
 * the shape of Cloudflare's `connect()` socket. Get one from `sandbox.connect(port)`.
 *
 * - `readable` gives what the server sends, only as fast as you read it (the agent socket, which
 *   is this connection's own, waits meanwhile, and so does the server); it ends when the server
 *   has finished sending, and fails with a `ConnectionError` when the connection breaks.
 * - `writable` sends to the server; `close()` on it half-closes the connection (the server sees
 *   the end of its input and may still answer), `abort()` closes the socket.
 * - `opened` resolves once the connection is made, and rejects with a `ConnectionRefusedError`
 *   (nothing listens there), an `UnsupportedError` (an agent older than protocol generation 4)
 *   or the agent socket's own error.
 * - `closed` resolves once the connection has ended, and rejects with what broke it.
 * - `close()` closes the connection at once, remotely too, and resolves once it is closed;
 *   cancelling `readable` and the `signal` of `connect` do the same.
 *
 * @example Talk to a server that a command started in the sandbox
 * ```ts ignore
 * import { Microsandbox } from "@microsandbox/edge";
 *
 * const sandbox = await Microsandbox.fromEnv().sandboxes.get("build-42");
 * const socket = sandbox.connect(8000);
 * const writer = socket.writable.getWriter();
 * await writer.write(new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n"));
 * await writer.close();
 * console.log(await new Response(socket.readable).text());
 * await socket.close();
 * ```
 */
export interface SandboxSocket {
  /** What the server sends. */
  readonly readable: ReadableStream<Uint8Array>;
  /** What goes to the server; closing it half-closes the connection (`core.tcp.eof`). */
  readonly writable: WritableStream<Uint8Array>;
  /** Where the socket connected, once it has; rejects with why it could not. */
  readonly opened: Promise<SocketAddress>;
  /** Resolves once the connection has ended; rejects with what broke it. */
  readonly closed: Promise<void>;
  /** Closes the connection (`core.tcp.close`); resolves once it is closed. */
  close(): Promise<void>;
}
