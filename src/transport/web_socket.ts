// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// A WebSocket seen as a duplex byte stream, opened with an `Authorization` header in every runtime
// that allows one: `WebSocketStream` where it exists (real backpressure on reads), `fetch` with
// `Upgrade: websocket` on Cloudflare Workers, `new WebSocket(url, { headers, protocols })` on Deno,
// Bun and Node 22+, or the caller's own factory.

import { ConnectionError, RuntimeError } from "../errors.ts";

/**
 * The standard `WebSocket` surface this library uses; any object that has it will do.
 *
 * @example The members a socket of your own needs
 * ```ts
 * import type { WebSocketLike } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * // A test double for a socket the server closed at once.
 * class ClosedSocket implements WebSocketLike {
 *   binaryType = "blob";
 *   readonly bufferedAmount = 0;
 *   readonly readyState = 3;
 *   readonly protocol = "";
 *   send(_data: Uint8Array): void {
 *     throw new Error("the socket is closed");
 *   }
 *   close(): void {}
 *   addEventListener(_type: string, _listener: (event: Event) => void): void {}
 *   removeEventListener(_type: string, _listener: (event: Event) => void): void {}
 * }
 *
 * const socket: WebSocketLike = new ClosedSocket();
 * assert.throws(() => socket.send(new Uint8Array([1])), { message: "the socket is closed" });
 * ```
 */
export interface WebSocketLike {
  /** Set to `"arraybuffer"` by this library. */
  binaryType: string;
  /** Bytes queued by `send` and not yet sent. */
  readonly bufferedAmount: number;
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** The subprotocol the server accepted. */
  readonly protocol: string;
  /** Sends one binary message. */
  send(data: Uint8Array): void;
  /** Closes the socket. */
  close(code?: number, reason?: string): void;
  /** Listens for `open`, `message`, `error` and `close`. */
  addEventListener(
    type: string,
    listener: (event: Event) => void,
    options?: { once?: boolean },
  ): void;
  /** Stops listening. */
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

/**
 * What a {@linkcode WebSocketFactory} gets: the headers to send and the subprotocols to offer.
 *
 * @example Adding a header of your own
 * ```ts
 * import { Microsandbox, type WebSocketInit } from "@microsandbox/edge";
 *
 * // Deno, Bun and Node 22+ let `new WebSocket` send headers; keep the ones given.
 * const msb = new Microsandbox({
 *   apiKey: "msb_test_123",
 *   webSocket: (url: string, init: WebSocketInit) =>
 *     new WebSocket(url, {
 *       headers: { ...init.headers, "x-request-id": crypto.randomUUID() },
 *       protocols: init.protocols,
 *     }),
 * });
 * ```
 */
export interface WebSocketInit {
  /** `authorization` and `user-agent`, to send on the upgrade request. */
  headers: Record<string, string>;
  /** The subprotocols to offer (`msb.cbor` on the v0.5 wire, none on the agent route). */
  protocols: string[];
}

/**
 * Opens a WebSocket the caller's way, for runtimes this library does not know; it may return the
 * socket before it is open.
 *
 * @example An undici WebSocket on Node 20
 * ```ts ignore
 * import { Microsandbox } from "@microsandbox/edge";
 * import { WebSocket } from "undici";
 *
 * const msb = new Microsandbox({
 *   apiKey: process.env.MSB_API_KEY!,
 *   webSocket: (url, init) => new WebSocket(url, init),
 * });
 * ```
 */
export type WebSocketFactory = (
  url: string,
  init: WebSocketInit,
) => WebSocketLike | Promise<WebSocketLike>;

/** A WebSocket as bytes in and bytes out; message boundaries carry no meaning. */
export interface ByteSocket {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  /** Closes the socket (normal closure); idempotent. */
  close(): void;
}

/** How to open a {@linkcode ByteSocket}. */
export interface OpenSocketOptions extends WebSocketInit {
  /** Milliseconds the connection may take. */
  connectTimeout: number;
  signal?: AbortSignal | undefined;
  /** The caller's factory, which wins over detection. */
  factory?: WebSocketFactory | undefined;
  /** The `fetch` used for the Workers upgrade. */
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** Bytes received but not yet read beyond which a plain WebSocket fails the stream. */
  maxQueuedBytes?: number | undefined;
  /** What the connection is for, in error messages, such as `cloud exec websocket`. */
  label: string;
}

const DEFAULT_MAX_QUEUED = 16 * 1024 * 1024;
const SEND_HIGH_WATER = 1024 * 1024;

interface WebSocketStreamLike {
  opened: Promise<{
    readable: ReadableStream<ArrayBuffer | Uint8Array | string>;
    writable: WritableStream<Uint8Array>;
    protocol: string;
  }>;
  closed: Promise<unknown>;
  close(info?: { closeCode?: number; reason?: string }): void;
}

type WebSocketStreamCtor = new (
  url: string,
  options: { protocols: string[]; headers: Record<string, string>; signal?: AbortSignal },
) => WebSocketStreamLike;

const host = globalThis as unknown as {
  WebSocketStream?: WebSocketStreamCtor;
  WebSocketPair?: unknown;
  WebSocket?: new (url: string, init: WebSocketInit) => WebSocketLike;
  document?: unknown;
};

/** Opens `url` (`ws:` or `wss:`) with the best means the runtime has. */
export async function openSocket(url: string, options: OpenSocketOptions): Promise<ByteSocket> {
  const deadline = AbortSignal.timeout(options.connectTimeout);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  try {
    return await connect(url, { ...options, signal });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (deadline.aborted) {
      throw new RuntimeError(
        `${options.label}: timed out connecting after ${options.connectTimeout} ms`,
        { cause: error },
      );
    }
    if (error instanceof RuntimeError) throw error;
    throw new RuntimeError(`${options.label}: ${describe(error)}`, { cause: error });
  }
}

async function connect(url: string, options: OpenSocketOptions & { signal: AbortSignal }) {
  if (options.factory) return plainSocket(await options.factory(url, options), options);
  if (host.WebSocketStream && !host.document) {
    return await streamSocket(host.WebSocketStream, url, options);
  }
  if (host.WebSocketPair) return plainSocket(await upgradeWithFetch(url, options), options);
  if (host.WebSocket && !host.document) {
    return plainSocket(
      new host.WebSocket(url, { headers: options.headers, protocols: options.protocols }),
      options,
    );
  }
  throw new RuntimeError(
    `${options.label}: this runtime cannot send an Authorization header on a WebSocket; ` +
      "pass a webSocket factory, or reach the sandbox through a server (see the Hono adapter)",
  );
}

async function streamSocket(
  Ctor: WebSocketStreamCtor,
  url: string,
  options: OpenSocketOptions & { signal: AbortSignal },
): Promise<ByteSocket> {
  // The stream gets a signal of its own, cut from the connect deadline once the connection is
  // settled: Deno's WebSocketStream throws an uncaught `BadResource` if its signal fires after the
  // connection failed.
  const connecting = new AbortController();
  const forward = () => connecting.abort(options.signal.reason);
  if (options.signal.aborted) forward();
  else options.signal.addEventListener("abort", forward, { once: true });
  const socket = new Ctor(url, {
    protocols: options.protocols,
    headers: options.headers,
    signal: connecting.signal,
  });
  // A failed connection rejects `closed` too; `opened` reports it.
  socket.closed.catch(() => {});
  const opened = await opened_(socket.opened, options.signal).finally(() =>
    options.signal.removeEventListener("abort", forward)
  );
  checkProtocol(opened.protocol, options);
  let closed = false;
  return {
    readable: opened.readable.pipeThrough(new TransformStream({ transform: forwardBinary })),
    writable: opened.writable,
    close() {
      if (closed) return;
      closed = true;
      socket.close({ closeCode: 1000 });
    },
  };
}

function forwardBinary(
  message: ArrayBuffer | Uint8Array | string,
  controller: TransformStreamDefaultController<Uint8Array>,
): void {
  if (typeof message === "string") return;
  controller.enqueue(message instanceof Uint8Array ? message : new Uint8Array(message));
}

function opened_<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

async function upgradeWithFetch(
  url: string,
  options: OpenSocketOptions & { signal: AbortSignal },
): Promise<WebSocketLike> {
  const headers: Record<string, string> = { ...options.headers, upgrade: "websocket" };
  if (options.protocols.length > 0) {
    headers["sec-websocket-protocol"] = options.protocols.join(", ");
  }
  const response = await options.fetch(url.replace(/^ws/, "http"), {
    headers,
    signal: options.signal,
  });
  const socket = (response as { webSocket?: WebSocketLike & { accept(): void } }).webSocket;
  if (response.status !== 101 || !socket) {
    await response.body?.cancel();
    throw new RuntimeError(`${options.label}: upgrade refused with HTTP ${response.status}`);
  }
  socket.accept();
  return socket;
}

async function plainSocket(
  socket: WebSocketLike,
  options: OpenSocketOptions & { signal: AbortSignal },
): Promise<ByteSocket> {
  socket.binaryType = "arraybuffer";
  if (socket.readyState === 0) await whenOpen(socket, options.signal);
  checkProtocol(socket.protocol, options);
  return {
    readable: readableOf(socket, options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED, options.label),
    writable: writableOf(socket),
    close: () => socket.close(1000),
  };
}

function whenOpen(socket: WebSocketLike, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: unknown) => {
      socket.removeEventListener("open", onOpen);
      socket.removeEventListener("error", onFail);
      socket.removeEventListener("close", onFail);
      signal.removeEventListener("abort", onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onOpen = () => done();
    const onFail = (event: Event) => done(new Error(errorText(event)));
    const onAbort = () => {
      socket.close();
      done(signal.reason);
    };
    socket.addEventListener("open", onOpen);
    socket.addEventListener("error", onFail);
    socket.addEventListener("close", onFail);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function readableOf(
  socket: WebSocketLike,
  maxQueued: number,
  label: string,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      socket.addEventListener("message", (event) => {
        const data = (event as MessageEvent).data;
        if (typeof data === "string" || controller.desiredSize === null) return;
        settle(() => controller.enqueue(new Uint8Array(data as ArrayBuffer)));
        if ((controller.desiredSize ?? 0) < 0) {
          controller.error(
            new ConnectionError(
              `${label}: more than ${maxQueued} received bytes were not read; read faster, or ` +
                "use a runtime with WebSocketStream (Deno with --unstable-net) for backpressure",
            ),
          );
          socket.close(1000);
        }
      });
      socket.addEventListener("close", () => settle(() => controller.close()));
      socket.addEventListener("error", (event) => {
        settle(() => controller.error(new ConnectionError(`${label}: ${errorText(event)}`)));
      });
    },
    cancel() {
      socket.close(1000);
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: maxQueued }));
}

/** Runs a controller call that may come after the stream closed or was cancelled. */
function settle(call: () => void): void {
  try {
    call();
  } catch {
    // The stream has ended already.
  }
}

function writableOf(socket: WebSocketLike): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      while (socket.bufferedAmount > SEND_HIGH_WATER && socket.readyState === 1) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      if (socket.readyState !== 1) throw new ConnectionError("the WebSocket is closed");
      socket.send(chunk);
    },
    abort() {
      socket.close(1000);
    },
  });
}

function checkProtocol(protocol: string, options: OpenSocketOptions): void {
  const [wanted] = options.protocols;
  if (wanted !== undefined && protocol !== wanted) {
    throw new RuntimeError(`${options.label}: the server did not accept subprotocol ${wanted}`);
  }
}

function errorText(event: Event): string {
  const message = (event as { message?: unknown }).message;
  return typeof message === "string" && message ? message : `connection ${event.type}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
