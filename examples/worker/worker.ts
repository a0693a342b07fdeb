// The example app as a Cloudflare Worker; wrangler serves the page from examples/public as static
// assets, and the Worker answers /api/sandboxes. Local run, against a local cloud started with
// `deno task cloud --port 4010 --api-key msb_dev_key` in another shell (wrangler.jsonc points
// MSB_API_URL there):
//   cd examples/worker && npx wrangler dev --var MSB_API_KEY:msb_dev_key --var APP_TOKEN:dev-token
// Deploying: set MSB_API_URL in wrangler.jsonc, then `npx wrangler secret put MSB_API_KEY` and
// `npx wrangler secret put APP_TOKEN`, then `npx wrangler deploy`.
import type { ExecutionContext, Hono } from "hono";
import { demoApp, demoSettings } from "../_app.ts";

/** The Worker's bindings: vars from wrangler.jsonc and secrets. */
interface Env {
  MSB_API_URL?: string;
  MSB_API_KEY?: string;
  APP_TOKEN?: string;
  TENANT?: string;
}

let app: Hono | undefined;

export default {
  fetch(request: Request, env: Env, context: ExecutionContext): Response | Promise<Response> {
    if (!env.APP_TOKEN) {
      // No dev default here: a deployed Worker must not answer to a well-known token.
      return Response.json({
        error: { code: "internal", message: "Set the APP_TOKEN secret (or --var APP_TOKEN:…)" },
      }, { status: 500 });
    }
    // The middleware builds the client from `env` (MSB_API_KEY, MSB_API_URL) on each request; the
    // WebSocket route upgrades with the Workers runtime's WebSocketPair by itself.
    app ??= demoApp({ settings: demoSettings({ ...env }) });
    return app.fetch(request, env, context);
  },
};
