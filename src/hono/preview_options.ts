// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { ContextLike } from "./context.ts";

/**
 * The bounds and filters of the preview route (`/:name/ports/:port/*`), the `preview` option of
 * `sandboxRoutes`. Which ports a principal may reach is the `ports` option.
 *
 * @example An app whose `authorize` reads an `x-app-key` header or a `?token=` query
 * ```ts
 * import type { PreviewOptions } from "@microsandbox/edge/hono";
 *
 * const preview: PreviewOptions = {
 *   stripHeaders: ["authorization", "cookie", "proxy-authorization", "x-app-key"],
 *   stripQuery: ["token"],
 *   maxBodyBytes: 8 * 1024 * 1024,
 *   maxHeadMs: 10_000,
 * };
 * ```
 */
export interface PreviewOptions {
  /**
   * The request fields never forwarded into the sandbox, case-insensitive: the app's own
   * credentials. It replaces the default, so keep its three names when you add yours (the
   * header or cookie your `authorize` reads). Hop-by-hop fields are never forwarded either, and
   * the API key never is: the tunnel is opened by the server's client and carries only the
   * request.
   * @default {["authorization", "cookie", "proxy-authorization"]}
   */
  stripHeaders?: readonly string[] | undefined;
  /**
   * The query parameters never forwarded into the sandbox, such as a `token` your `authorize`
   * reads from the query.
   * @default {[]}
   */
  stripQuery?: readonly string[] | undefined;
  /**
   * A `Content-Security-Policy` added to every answer from the sandbox, or `false` for none.
   * The default runs the sandbox's pages in a unique opaque origin (scripts, forms and popups
   * allowed): they work, but cannot read the app's cookies or storage, nor call the app's
   * routes as the user with the user's cookies. Set `false` only when the previews are served
   * on an origin of their own (another subdomain), never on the app's.
   * @default {"sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads"}
   */
  csp?: string | false | undefined;
  /**
   * The most bytes a request body may carry into the sandbox, counted while it streams (and
   * refused up front when `Content-Length` says more); more is 413 `payload_too_large`.
   * @default {67108864}
   */
  maxBodyBytes?: number | undefined;
  /**
   * The most milliseconds from the request to the head of the sandbox's answer (reading the
   * sandbox, connecting, the server's own time); then the connection is closed and the route
   * answers 504 `timeout`. The body then streams for as long as both sides keep it going.
   * @default {60000}
   */
  maxHeadMs?: number | undefined;
  /**
   * The most bytes of one WebSocket message from the sandbox's server (a larger one closes the
   * client's socket with 1009), and the most bytes of the client's messages that may wait for
   * the sandbox's server to read them (more closes it with 1009 too).
   * @default {16777216}
   */
  maxMessageBytes?: number | undefined;
  /**
   * Which pages may open a WebSocket through the preview route, as the routes' `origin` option
   * says it (a list of exact origins, or a function of the origin and the context); by default
   * the routes' `origin` decides. A page that the default `csp` sandboxes has an opaque origin,
   * which its browser sends as `Origin: null`: let `"null"` in only when `authorize` does not
   * trust a cookie alone, since any site can frame a page of that origin.
   * @default {undefined}
   */
  origin?:
    | readonly string[]
    | ((origin: string, c: ContextLike) => boolean | Promise<boolean>)
    | undefined;
}
