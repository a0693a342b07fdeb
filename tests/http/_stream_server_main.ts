// A server of one sandbox's streams to browsers, run as its own process (Deno or Bun) by
// tests/http/_leaving_clients.ts: `GET /logs` is `toSseResponse(sandbox.logs())` as the README
// writes it, `GET /quiet` a log of a source nobody writes to (only heartbeats go out), the Hono
// adapter's sandbox routes under `/api/sandboxes` (any bearer token, every name), and `POST /stop`
// stops serving. It never calls exit: once it stops serving it must end by itself, which it cannot
// while a timer, a request or a socket of a departed client is still held.
//
// Environment: MSB_API_URL, MSB_API_KEY, SANDBOX (a sandbox name). Prints `open <origin>` once
// it listens and `stopped` once it has stopped serving.
import { Hono } from "hono";
import process from "node:process";
import { Microsandbox, toSseResponse } from "../../mod.ts";
import { microsandbox, sandboxRoutes, type UpgradeWebSocketLike } from "../../src/hono/mod.ts";

/** The part of Bun's server this file uses (Deno's types do not know Bun). */
interface BunServer {
  readonly port: number;
  stop(closeActiveConnections?: boolean): Promise<void>;
}
interface BunLike {
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request, server: BunServer) => Response | Promise<Response>;
    websocket: unknown;
  }): BunServer;
}
/** What this file takes from Hono's runtime adapter (`hono/deno` or `hono/bun`). */
interface HonoAdapter {
  upgradeWebSocket: UpgradeWebSocketLike;
  websocket?: unknown;
}

const { MSB_API_URL: url, MSB_API_KEY: apiKey, SANDBOX: name } = process.env;
if (!url || !apiKey || !name) throw new Error("MSB_API_URL, MSB_API_KEY and SANDBOX must be set");
const msb = new Microsandbox({ apiKey, url });
const sandbox = await msb.sandboxes.get(name);
const bun = (globalThis as { Bun?: BunLike }).Bun;
// Not a literal specifier: each runtime loads (and Deno type-checks) only its own adapter.
const adapterSpecifier = bun ? "hono/bun" : "hono/deno";
const adapter: HonoAdapter = await import(adapterSpecifier);

let stop: () => Promise<void> = () => Promise.resolve();
const app = new Hono();
app.get("/logs", () => toSseResponse(sandbox.logs()));
app.get("/quiet", () => toSseResponse(sandbox.logs({ sources: ["stderr"] })));
app.post("/stop", () => {
  setTimeout(() => stop().then(() => console.log("stopped")), 0);
  return new Response("stopping\n");
});
app.use("/api/*", microsandbox({ client: msb }));
app.route(
  "/api/sandboxes",
  sandboxRoutes({
    authorize: (c) => c.req.header("authorization")?.startsWith("Bearer ") ? { any: true } : null,
    scope: () => true,
    upgradeWebSocket: adapter.upgradeWebSocket,
  }),
);

if (bun) {
  const server = bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (request, server) => app.fetch(request, server),
    websocket: adapter.websocket,
  });
  stop = () => server.stop();
  console.log(`open http://127.0.0.1:${server.port}`);
} else {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  stop = () => server.shutdown();
  console.log(`open http://127.0.0.1:${server.addr.port}`);
}
