// The Hono app the adapter smoke drives: `sandboxRoutes` behind the `microsandbox` middleware,
// mounted the way the adapter's contract shows, with a bearer-token `authorize`, a name `scope`
// and a `ports` policy that lets the preview route reach one port. Built the same way in Bun,
// Node and the Worker.

import { Hono } from "hono";
import { type ClientSource, microsandbox, sandboxRoutes } from "../../src/hono/mod.ts";
import { APP_TOKEN, PREVIEW_PORT, ROUTES_BASE, SCOPE_PREFIX } from "./_adapter_names.ts";

/**
 * Builds the app.
 *
 * @param client The microsandbox client the middleware puts on the context, or how to build it;
 * without it, the middleware's default (`Microsandbox.fromEnv(c.env)`, one per bindings object).
 * @returns The Hono app, with the sandbox routes under {@linkcode ROUTES_BASE}.
 */
export function adapterApp(client?: ClientSource): Hono {
  const app = new Hono();
  app.use("/api/*", microsandbox(client ? { client } : {}));
  app.route(
    ROUTES_BASE,
    sandboxRoutes({
      authorize: (c) => c.req.header("authorization") === `Bearer ${APP_TOKEN}` ? { app: 1 } : null,
      scope: (name) => name.startsWith(SCOPE_PREFIX),
      ports: ({ port }) => port === PREVIEW_PORT,
    }),
  );
  return app;
}
