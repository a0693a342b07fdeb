// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * The structural types through which this adapter meets Hono. They name only what the adapter
 * uses, so a Hono `Context` (of any app, from npm or JSR) fits them, and this module's API names
 * no Hono type.
 *
 * @module
 */

/** The part of Hono's request (`c.req`) that the adapter and its hooks read. */
export interface RequestLike {
  /** The Web Request. */
  readonly raw: Request;
  /** The full URL. */
  readonly url: string;
  /** The HTTP method. */
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  /**
   * A request header.
   *
   * @param name The header name, in any case.
   * @returns Its value, or `undefined`.
   */
  header(name: string): string | undefined;
  /**
   * A query parameter.
   *
   * @param key Its name.
   * @returns Its first value, or `undefined`.
   */
  query(key: string): string | undefined;
}

/** The part of a Hono `Context` (`c`) that the adapter and its hooks read. */
export interface ContextLike {
  /** The request. */
  readonly req: RequestLike;
  /** The runtime bindings: a Workers `env`, or whatever the server passed to `app.fetch`. */
  readonly env: unknown;
  /**
   * A context variable; the adapter reads `microsandbox`.
   *
   * @param key The variable.
   * @returns Its value, or `undefined` when not set.
   */
  get(key: "microsandbox"): unknown;
}

/** A context whose `microsandbox` variable can be set: what the middleware writes to. */
export interface MutableContextLike extends ContextLike {
  /**
   * Sets a context variable; the adapter sets `microsandbox`.
   *
   * @param key The variable.
   * @param value Its value.
   */
  set(key: "microsandbox", value: unknown): void;
}

/** A Hono middleware, as `app.use()` takes it. */
export type MiddlewareLike = (c: MutableContextLike, next: () => Promise<void>) => Promise<void>;

/** The socket of a WebSocket route, as Hono's `WSContext` gives it. */
export interface WebSocketPeerLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /**
   * Sends a text or binary message.
   *
   * @param data The message.
   */
  send(data: string | Uint8Array<ArrayBuffer>): void;
  /**
   * Closes the socket.
   *
   * @param code The close code.
   * @param reason The close reason.
   */
  close(code?: number, reason?: string): void;
}

/** The handlers of one WebSocket, as Hono's `upgradeWebSocket` takes them. */
export interface WebSocketEventsLike {
  /** The socket opened. */
  onOpen?: (event: Event, ws: WebSocketPeerLike) => void;
  /** A message arrived: a string, or binary data. */
  onMessage?: (event: { readonly data: unknown }, ws: WebSocketPeerLike) => void;
  /** The socket closed. */
  onClose?: (event: Event, ws: WebSocketPeerLike) => void;
  /** The socket failed. */
  onError?: (event: Event, ws: WebSocketPeerLike) => void;
}

/**
 * Hono's runtime-specific `upgradeWebSocket` (from `hono/deno`, `hono/bun`,
 * `hono/cloudflare-workers`, …): it turns per-socket handlers into a route handler.
 *
 * Typed through a method so that its handler's context is compared both ways, which lets
 * Hono's own (nominal) `Context` type fit.
 */
export type UpgradeWebSocketLike = {
  upgrade(
    createEvents: (c: ContextLike) => WebSocketEventsLike | Promise<WebSocketEventsLike>,
  ): RouteHandlerLike;
}["upgrade"];

/**
 * A Hono route handler. Typed through a method so that Hono's own `Context` type fits its
 * parameter.
 */
export type RouteHandlerLike = {
  handle(c: ContextLike, next: () => Promise<void>): Promise<Response | void>;
}["handle"];
