// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * What a caller asks of the preview route (`/:name/ports/:port/*`), as the `ports` hook of
 * `sandboxRoutes` sees it: after the caller is authorized, the sandbox name is checked and in
 * `scope`, and the port is a valid one, and before any connection into the sandbox. The object is
 * frozen, and `path` is exactly the path the request then has in the sandbox.
 *
 * @example Let each tenant reach port 3000, and only reads of `/docs` on port 8080
 * ```ts
 * import { type PortAccess } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const ports = ({ port, method, path }: PortAccess): boolean =>
 *   port === 3000 || (port === 8080 && method === "GET" && path.startsWith("/docs/"));
 *
 * const access: PortAccess = { port: 8080, sandbox: "acme-web", method: "POST", path: "/docs/" };
 * assert.equal(ports(access), false);
 * assert.equal(ports({ ...access, method: "GET" }), true);
 * assert.equal(ports({ ...access, port: 3000 }), true);
 * ```
 */
export interface PortAccess {
  /** The port in the sandbox, an integer from 1 to 65535. */
  readonly port: number;
  /** The sandbox's name. */
  readonly sandbox: string;
  /** The request's method, upper case for the standard ones (`GET`, `POST`, …). */
  readonly method: string;
  /**
   * The path the request has in the sandbox: what follows `/ports/:port` in the route's URL,
   * `/` when nothing does, percent-encoded as sent, dot segments resolved, without the query.
   */
  readonly path: string;
}
