// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Hono } from "hono";
import { routePath } from "hono/route";
import { checkDeclaredSize } from "./_body.ts";
import type { Guard } from "./_guard.ts";
import { preview } from "./_preview.ts";
import { previewTarget } from "./_preview_target.ts";
import { previewUpgrade } from "./_preview_upgrade.ts";
import { socketUpgrade } from "./_socket_upgrade.ts";
import type { Principal } from "./options.ts";
import type { PortAccess } from "./port_access.ts";

/**
 * `ALL /:name/ports/:port/*`, the preview route: the request, minus the app's credentials, to
 * the server on `port` in the sandbox, with the path and query that follow `/ports/:port`, and
 * its answer streamed back. Who asks, the name, the port and the `ports` policy are checked, in
 * that order, before any connection; `/ports/:port` alone redirects to `/ports/:port/`, so the
 * page's relative links resolve under the route. A WebSocket upgrade is bridged to the
 * sandbox's server once the page's origin passes and that server accepts it.
 */
export function portsRoute<P extends Principal>(app: Hono, guard: Guard<P>): void {
  const sockets = socketUpgrade(guard.options.upgradeWebSocket);
  app.all("/:name/ports/:port/*", async (c, next) => {
    const { principal, client } = await guard.admit(c);
    const name = await guard.name(c, principal);
    const { stripQuery, maxBodyBytes } = guard.options.preview;
    const { port, url } = previewTarget(c.req.url, routePath(c), c.req.param("port"), stripQuery);
    const access: PortAccess = Object.freeze({
      port,
      sandbox: name,
      method: c.req.method,
      path: url?.pathname ?? "/",
    });
    await guard.ports(access, principal, c);
    if (url === undefined) {
      return c.body(null, 308, { location: `${port}/${new URL(c.req.url).search}` });
    }
    if (c.req.header("upgrade") !== undefined) {
      const origin = guard.options.preview.origin ?? guard.options.origin;
      const target = { client, name, port, url };
      return await previewUpgrade(c, next, sockets, target, { ...guard.options.preview, origin });
    }
    checkDeclaredSize(c.req.raw, maxBodyBytes);
    return await preview(client, name, port, url, c.req.raw, guard.options.preview);
  });
}
