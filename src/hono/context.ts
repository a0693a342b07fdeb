// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * The structural types through which this adapter meets Hono. They name only what the adapter
 * uses, so a Hono `Context` (of any app, from npm or JSR) fits them, and this module's API names
 * no Hono type.
 *
 * @module
 */

/**
 * The part of Hono's request (`c.req`) that the adapter and its hooks read.
 *
 * @example A helper that reads a bearer token from Hono's `c.req`
 * ```ts
 * import { Hono } from "hono";
 * import type { RequestLike } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * function bearer(req: RequestLike): string | undefined {
 *   return req.header("authorization")?.match(/^Bearer (\S+)$/)?.[1] ?? req.query("token");
 * }
 *
 * const app = new Hono();
 * app.get("/whoami", (c) => c.text(bearer(c.req) ?? "anonymous"));
 * const headers = { authorization: "Bearer app-token" };
 * assert.equal(await (await app.request("/whoami", { headers })).text(), "app-token");
 * assert.equal(await (await app.request("/whoami?token=sse-token")).text(), "sse-token");
 * ```
 */
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

/**
 * The part of a Hono `Context` (`c`) that the adapter and its hooks read.
 *
 * @example An `authorize` hook that checks a token from the Workers bindings
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type ContextLike, sandboxRoutes } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * function authorize(c: ContextLike): { app: string } | null {
 *   const { APP_TOKEN } = c.env as { APP_TOKEN?: string };
 *   const sent = c.req.header("authorization");
 *   return APP_TOKEN && sent === `Bearer ${APP_TOKEN}` ? { app: "ci" } : null;
 * }
 *
 * const client = new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" });
 * const app = new Hono().route("/", sandboxRoutes({ authorize, client }));
 * const env = { APP_TOKEN: "s3cret" };
 * const refused = await app.request("/", { headers: { authorization: "Bearer guess" } }, env);
 * assert.equal(refused.status, 401);
 * ```
 */
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

/**
 * A context whose `microsandbox` variable can be set: what the middleware writes to.
 *
 * @example Pick the client of the request's region
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { getMicrosandbox, type MutableContextLike } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const regions = new Map([
 *   ["eu", new Microsandbox({ apiKey: "msb_test_eu", url: "https://eu.cloud.test" })],
 *   ["us", new Microsandbox({ apiKey: "msb_test_us", url: "https://us.cloud.test" })],
 * ]);
 * function useRegion(c: MutableContextLike): void {
 *   c.set("microsandbox", regions.get(c.req.header("x-region") ?? "eu") ?? regions.get("eu"));
 * }
 *
 * const app = new Hono();
 * app.use("*", async (c, next) => {
 *   useRegion(c);
 *   await next();
 * });
 * app.get("/", (c) => c.text(getMicrosandbox(c).url));
 * const response = await app.request("/", { headers: { "x-region": "us" } });
 * assert.equal(await response.text(), "https://us.cloud.test");
 * ```
 */
export interface MutableContextLike extends ContextLike {
  /**
   * Sets a context variable; the adapter sets `microsandbox`.
   *
   * @param key The variable.
   * @param value Its value.
   */
  set(key: "microsandbox", value: unknown): void;
}

/**
 * A Hono middleware, as `app.use()` takes it.
 *
 * @example Set the client only for requests that carry a token
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import {
 *   microsandbox,
 *   type MicrosandboxVariables,
 *   type MiddlewareLike,
 * } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const client = new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" });
 * const withClient: MiddlewareLike = microsandbox({ client });
 * const signedIn: MiddlewareLike = (c, next) =>
 *   c.req.header("authorization") ? withClient(c, next) : next();
 *
 * const app = new Hono<{ Variables: MicrosandboxVariables }>();
 * app.use("*", signedIn);
 * app.get("/", (c) => c.text(c.get("microsandbox") ? "client" : "none"));
 * assert.equal(await (await app.request("/")).text(), "none");
 * const headers = { authorization: "Bearer app-token" };
 * assert.equal(await (await app.request("/", { headers })).text(), "client");
 * ```
 */
export type MiddlewareLike = (c: MutableContextLike, next: () => Promise<void>) => Promise<void>;

/**
 * The socket of a WebSocket route, as Hono's `WSContext` gives it.
 *
 * @example Send JSON only while the socket is open
 * ```ts
 * import type { WebSocketPeerLike } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * function sendJson(ws: WebSocketPeerLike, value: unknown): boolean {
 *   if (ws.readyState !== 1) return false;
 *   ws.send(JSON.stringify(value));
 *   return true;
 * }
 *
 * const sent: string[] = [];
 * const peer: WebSocketPeerLike = { readyState: 1, send: (data) => sent.push(String(data)), close() {} };
 * assert.ok(sendJson(peer, { type: "exited", code: 0 }));
 * assert.ok(!sendJson({ ...peer, readyState: 3 }, { type: "stdout", data: "late" }));
 * assert.deepEqual(sent, ['{"type":"exited","code":0}']);
 * ```
 */
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

/**
 * The handlers of one WebSocket, as Hono's `upgradeWebSocket` takes them.
 *
 * @example Unit-test socket handlers with a stand-in peer
 * ```ts
 * import type { WebSocketEventsLike, WebSocketPeerLike } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const echo: WebSocketEventsLike = {
 *   onMessage: (event, ws) => ws.send(`echo: ${event.data}`),
 *   onClose: () => console.log("closed"),
 * };
 *
 * const sent: unknown[] = [];
 * const peer: WebSocketPeerLike = { readyState: 1, send: (data) => sent.push(data), close() {} };
 * echo.onMessage?.({ data: "hi" }, peer);
 * assert.deepEqual(sent, ["echo: hi"]);
 * ```
 */
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
 *
 * @example An echo socket served on loopback
 * ```ts
 * import { Hono } from "hono";
 * import { upgradeWebSocket } from "hono/deno";
 * import type { UpgradeWebSocketLike } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const upgrade: UpgradeWebSocketLike = upgradeWebSocket;
 * const app = new Hono();
 * app.get("/echo", upgrade(() => ({ onMessage: (event, ws) => ws.send(`echo: ${event.data}`) })));
 *
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
 * const socket = new WebSocket(`ws://127.0.0.1:${server.addr.port}/echo`);
 * socket.onopen = () => socket.send("hi");
 * const reply = await new Promise((resolve) => socket.onmessage = (event) => resolve(event.data));
 * const closed = new Promise((resolve) => socket.onclose = resolve);
 * socket.close();
 * await closed;
 * assert.equal(reply, "echo: hi");
 * ```
 */
export type UpgradeWebSocketLike = {
  upgrade(
    createEvents: (c: ContextLike) => WebSocketEventsLike | Promise<WebSocketEventsLike>,
  ): RouteHandlerLike;
}["upgrade"];

/**
 * A Hono route handler. Typed through a method so that Hono's own `Context` type fits its
 * parameter.
 *
 * @example A handler written against the adapter's types, mounted in Hono
 * ```ts
 * import { Hono } from "hono";
 * import { getMicrosandbox, microsandbox, type RouteHandlerLike } from "@microsandbox/edge/hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const status: RouteHandlerLike = (c) =>
 *   Promise.resolve(Response.json({ cloud: getMicrosandbox(c).url, path: c.req.path }));
 *
 * const client = new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" });
 * const app = new Hono();
 * app.use("*", microsandbox({ client }));
 * app.get("/status", status);
 * const response = await app.request("/status");
 * assert.deepEqual(await response.json(), { cloud: "https://cloud.test", path: "/status" });
 * ```
 */
export type RouteHandlerLike = {
  handle(c: ContextLike, next: () => Promise<void>): Promise<Response | void>;
}["handle"];
