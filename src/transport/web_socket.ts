// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// A WebSocket seen as bytes in and bytes out, opened with an `Authorization` header in every
// runtime that allows one: `WebSocketStream` where it exists (real backpressure on reads), `fetch`
// with `Upgrade: websocket` on Cloudflare Workers, `new WebSocket(url, { headers, protocols })` on
// Deno, Bun and Node 22+, or the caller's own factory. Reads are pushed to a sink, which bounds
// what it keeps unread: the socket itself keeps nothing.

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
  /**
   * Stops reading from the connection, so that the peer feels TCP backpressure (Bun 1.4.1+);
   * where it exists, a slow reader of a process on its own socket slows the process.
   */
  pause?(): unknown;
  /** Reads from the connection again after `pause`. */
  resume?(): unknown;
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

/** Where a {@linkcode ByteSocket} delivers what it receives. */
export interface ByteSink {
  /**
   * Takes received bytes. A returned promise holds the next read until it settles, which slows
   * the peer where the socket has read backpressure (`ByteSocket.backpressure`); a plain
   * WebSocket cannot wait and keeps delivering.
   */
  bytes(chunk: Uint8Array): void | Promise<void>;
  /** The socket ended: closed (no error) or failed. Called once. */
  end(error?: Error): void;
}

/** A WebSocket as bytes in and bytes out; message boundaries carry no meaning. */
export interface ByteSocket {
  /** Whether a sink that waits slows the peer (`WebSocketStream`), rather than nothing. */
  readonly backpressure: boolean;
  /** Starts delivering received bytes to `sink`, those received before the call first; once. */
  read(sink: ByteSink): void;
  readonly writable: WritableStream<Uint8Array>;
  /** Closes the socket (normal closure); idempotent. */
  close(): void;
}

/** How to open a {@linkcode ByteSocket}; the caller owns the connect deadline, through `signal`. */
export interface OpenSocketOptions extends WebSocketInit {
  /** Aborts the connection while it is being made; ignored once it is open or has failed. */
  signal?: AbortSignal | undefined;
  /** The caller's factory, which wins over detection. */
  factory?: WebSocketFactory | undefined;
  /** The `fetch` used for the Workers upgrade. */
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** What the connection is for, in error messages, such as `cloud exec websocket`. */
  label: string;
}

const SEND_HIGH_WATER = 1024 * 1024;
/** The most bytes a plain socket keeps before its reader attaches; more fails the socket. */
export const MAX_EARLY_BYTES = 16 * 1024 * 1024;

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
  options: { protocols: string[]; headers: Record<string, string> },
) => WebSocketStreamLike;

const host = globalThis as unknown as {
  WebSocketStream?: WebSocketStreamCtor;
  WebSocketPair?: unknown;
  WebSocket?: new (url: string, init: WebSocketInit) => WebSocketLike;
  document?: unknown;
};

/**
 * Opens `url` (`ws:` or `wss:`) with the best means the runtime has. An abort of `signal` rejects
 * with its reason, untouched, so that the owner of the deadline words the timeout.
 */
export async function openSocket(url: string, options: OpenSocketOptions): Promise<ByteSocket> {
  const signal = options.signal ?? new AbortController().signal;
  try {
    return await connect(url, { ...options, signal });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
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
  // The stream is never given a signal: Deno's WebSocketStream acts on an abort even when the
  // connection has just failed, and then throws an uncaught `BadResource` that ends the process.
  // An abort while connecting rejects at once instead, and closes the socket as soon as it opens.
  const socket = new Ctor(url, { protocols: options.protocols, headers: options.headers });
  // A failed connection rejects `closed` too; `opened` reports it.
  socket.closed.catch(() => {});
  const opened = await openedOrAborted(
    socket.opened,
    options.signal,
    () => socket.opened.then(() => socket.close({ closeCode: 1000 }), () => {}),
  );
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    socket.close({ closeCode: 1000 });
  };
  try {
    checkProtocol(opened.protocol, options);
  } catch (error) {
    close();
    throw error;
  }
  const readable = opened.readable;
  return {
    backpressure: true,
    read: (sink) => void pumpStream(readable, sink, options.label),
    writable: opened.writable,
    close,
  };
}

/** Reads `readable` into `sink`, one message at a time, waiting whenever the sink asks to. */
async function pumpStream(
  readable: ReadableStream<ArrayBuffer | Uint8Array | string>,
  sink: ByteSink,
  label: string,
): Promise<void> {
  const reader = readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (typeof value === "string") continue;
      const wait = sink.bytes(value instanceof Uint8Array ? value : new Uint8Array(value));
      if (wait) await wait;
    }
    sink.end();
  } catch (error) {
    sink.end(new ConnectionError(`${label}: ${describe(error)}`, { cause: error }));
  }
}

/** Waits for `promise` unless `signal` aborts first, in which case `abandon` runs. */
function openedOrAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  abandon: () => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      abandon();
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
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
  // workerd ends an upgraded socket when its fetch's signal aborts, even long after the 101 (so
  // at the connect deadline): the fetch gets a signal of its own, aborted only while it waits.
  const upgrade = new AbortController();
  const response = await openedOrAborted(
    options.fetch(url.replace(/^ws/, "http"), { headers, signal: upgrade.signal }),
    options.signal,
    () => upgrade.abort(options.signal.reason),
  );
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
  const inbox = listen(socket, options.label);
  if (socket.readyState === 0) await whenOpen(socket, options.signal);
  checkProtocol(socket.protocol, options);
  return {
    backpressure: pausable(socket),
    read: inbox,
    writable: writableOf(socket),
    close: () => socket.close(1000),
  };
}

/** Whether the socket can stop reading from its connection (Bun's `pause` and `resume`). */
function pausable(socket: WebSocketLike): boolean {
  return typeof socket.pause === "function" && typeof socket.resume === "function";
}

/**
 * Listens to a plain socket from the start and hands each message to the sink in the event
 * handler itself, with no stream in between: a socket that cannot slow its peer keeps delivering,
 * so every hop between the handler and the reader only adds to what piles up. A socket that can
 * pause stops reading while the sink waits (messages it read already still come). Messages that
 * come before the sink are kept for it, up to {@linkcode MAX_EARLY_BYTES}: past that the socket
 * closes and ends with a `ConnectionError`.
 */
function listen(socket: WebSocketLike, label: string): (sink: ByteSink) => void {
  const early: Uint8Array[] = [];
  let earlyBytes = 0;
  let ending: Error | null | undefined;
  let sink: ByteSink | undefined;
  const end = (error: Error | null) => {
    if (ending !== undefined) return;
    ending = error;
    sink?.end(error ?? undefined);
  };
  socket.addEventListener("message", (event) => {
    const data = (event as MessageEvent).data;
    if (typeof data === "string" || ending !== undefined) return;
    const bytes = new Uint8Array(data as ArrayBuffer);
    if (sink) return hold(sink.bytes(bytes));
    earlyBytes += bytes.byteLength;
    if (earlyBytes <= MAX_EARLY_BYTES) return void early.push(bytes);
    early.length = 0;
    end(new ConnectionError(`${label}: the server sent more than 16 MiB before it was read`));
    socket.close(1000);
  });
  let held: Promise<void> | undefined;
  const hold = (wait: void | Promise<void>) => {
    if (!wait || held || !pausable(socket)) return;
    held = wait;
    socket.pause!();
    const release = () => {
      held = undefined;
      if (ending === undefined) socket.resume!();
    };
    wait.then(release, release);
  };
  socket.addEventListener("close", () => end(null));
  socket.addEventListener("error", (event) => {
    end(new ConnectionError(`${label}: ${errorText(event)}`));
  });
  return (target) => {
    if (sink) throw new TypeError("ByteSocket.read may be called once");
    sink = target;
    for (const bytes of early.splice(0)) hold(target.bytes(bytes));
    if (ending !== undefined) target.end(ending ?? undefined);
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
