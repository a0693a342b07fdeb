// The server under soak, alone in its own process so that its memory is its own: the sandbox
// routes (tenants by bearer token, scoped by name prefix, with the WebSocket bridge) over the
// local cloud at SOAK_CLOUD_URL. It prints, one JSON line each on stdout:
//   {"listening": "http://127.0.0.1:PORT"}         once it listens
//   {"memory": {"rss": N, "heapUsed": N}}          every second
//   {"untyped": "..."}                             a failure that is not one of our typed errors
// SOAK_BREAK plants a defect (see _breaks.ts) for the self-check.

import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import { Microsandbox, MicrosandboxError } from "../mod.ts";
import { RouteError, sandboxRoutes } from "../src/hono/mod.ts";
import { type BreakKind, breakMiddleware } from "./_breaks.ts";

const apiKey = Deno.env.get("SOAK_CLOUD_KEY")!;
const tenants = new Map(
  Deno.env.get("SOAK_TENANTS")!.split(",").map((pair) => pair.split(":") as [string, string])
    .map(([name, token]) => [token, { tenant: name }]),
);
/** The longest a command may run: well under the soak's deadline, so a stalled socket ends first. */
const MAX_EXEC_MS = 20_000;
const broken = Deno.env.get("SOAK_BREAK") as BreakKind | undefined;

function report(line: Record<string, unknown>): void {
  console.log(JSON.stringify(line));
}

/** The 5xx failures told to onError, by kind and the first words of their message. */
const tally = new Map<string, number>();

function tallied(error: unknown): void {
  const kind = error instanceof MicrosandboxError ? error.kind : (error as Error)?.name;
  const key = `${kind}: ${String((error as Error)?.message).slice(0, 70)}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

/** Reports what is neither a route refusal nor one of the library's typed errors. */
function untyped(error: unknown, where: string): void {
  if (error instanceof RouteError || error instanceof MicrosandboxError) return;
  report({ untyped: `${where}: ${(error as Error)?.stack ?? String(error)}` });
}

const client = new Microsandbox({ apiKey, url: Deno.env.get("SOAK_CLOUD_URL")! });
const app = new Hono();
if (broken) app.use("*", breakMiddleware(broken, apiKey));
app.route(
  "/",
  sandboxRoutes<{ tenant: string }>({
    authorize: (c) => tenants.get(c.req.header("authorization")?.replace(/^Bearer /, "") ?? ""),
    scope: (name, principal) => name.startsWith(`${principal.tenant}-`),
    upgradeWebSocket,
    client,
    maxExecMs: MAX_EXEC_MS,
    onError: (error, c) => {
      tallied(error);
      untyped(
        error,
        `onError for ${c.req.method} ${new URL(c.req.url).pathname}` +
          (c.req.raw.signal.aborted ? " (its client had gone)" : ""),
      );
    },
  }),
);

globalThis.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  untyped(event.reason, "unhandled rejection");
});
globalThis.addEventListener("error", (event) => {
  event.preventDefault();
  untyped(event.error, "uncaught error");
});

Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => report({ listening: `http://127.0.0.1:${port}` }),
  onError: (error) => {
    untyped(error, "Deno.serve");
    return new Response("server error", { status: 500 });
  },
}, app.fetch);

setInterval(() => {
  const { rss, heapUsed } = Deno.memoryUsage();
  report({ memory: { rss, heapUsed }, errors: Object.fromEntries(tally) });
}, 1_000);
