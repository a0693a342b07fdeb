// The adapter alone in a process of its own, so that its resident memory is its own: the sandbox
// routes with the WebSocket bridge, over the cloud at MSB_API_URL, for any caller. Run with
// --unstable-net, as a deployment would (the exec socket then has read backpressure). Prints
// `listening http://127.0.0.1:<port>` once it listens.

import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import { Microsandbox } from "../../mod.ts";
import { sandboxRoutes } from "../../src/hono/mod.ts";

const client = new Microsandbox({
  apiKey: Deno.env.get("MSB_API_KEY")!,
  url: Deno.env.get("MSB_API_URL")!,
});
const app = new Hono().route(
  "/",
  sandboxRoutes({ authorize: () => ({ user: "any" }), client, upgradeWebSocket }),
);
Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.log(`listening http://127.0.0.1:${port}`),
}, app.fetch);
