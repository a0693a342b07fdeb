// The example app that every server here mounts (Deno, Bun, Node, the Worker): the page of
// examples/public at `/`, and the sandbox API of `@microsandbox/edge/hono` under `/api/sandboxes`,
// behind a demo token. It uses Web APIs only, so that the Worker can bundle it. It imports the
// adapter by relative path because Bun and Node do not read deno.json; in your own app, import
// `@microsandbox/edge/hono`.
import { Hono } from "hono";
import type { Microsandbox } from "../mod.ts";
import {
  type ContextLike,
  microsandbox,
  sandboxRoutes,
  type SandboxRoutesOptions,
} from "../src/hono/mod.ts";

/** The token the servers accept when APP_TOKEN is not set: for a server on loopback only. */
export const DEV_TOKEN = "dev-token";

/** The one port of a sandbox the page may preview (its panel's server listens there). */
export const PREVIEW_PORT = 8080;

/** What the demo reads from the environment. */
export interface DemoSettings {
  /** The token the page presents (APP_TOKEN, else {@linkcode DEV_TOKEN}). */
  token: string;
  /** The tenant (TENANT, else `demo`): the token may touch sandboxes named `<tenant>-…` only. */
  tenant: string;
  /** The port to listen on (PORT, else 8000); the Worker ignores it. */
  port: number;
}

/** Reads the demo's settings from an environment record (`Deno.env.toObject()`, `process.env`). */
export function demoSettings(env: Readonly<Record<string, string | undefined>>): DemoSettings {
  return {
    token: env.APP_TOKEN || DEV_TOKEN,
    tenant: env.TENANT || "demo",
    port: Number(env.PORT || 8000),
  };
}

/** Options of {@linkcode demoApp}. */
export interface DemoOptions {
  /** The token and tenant. */
  settings: DemoSettings;
  /** The client; by default the middleware's (`Microsandbox.fromEnv`, with the Worker's `env`). */
  client?: Microsandbox;
  /** Reads a file of examples/public; without it the app serves no page (Workers use assets). */
  readPage?: (file: string) => Promise<string>;
  /** The runtime's `upgradeWebSocket` from `hono/deno` or `hono/bun` (Workers need none). */
  upgradeWebSocket?: SandboxRoutesOptions<DemoPrincipal>["upgradeWebSocket"];
}

/** Who the demo token stands for. */
export interface DemoPrincipal {
  tenant: string;
}

/** The files of the page, by path. */
const PAGE: Readonly<Record<string, readonly [file: string, type: string]>> = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/app.js": ["app.js", "text/javascript; charset=utf-8"],
};

/** Builds the example app: the page, the middleware and the sandbox routes. */
export function demoApp(options: DemoOptions): Hono {
  const { settings, client, readPage, upgradeWebSocket } = options;
  const principal: DemoPrincipal = { tenant: settings.tenant };
  const app = new Hono();
  app.use("/api/*", microsandbox(client ? { client } : {}));
  app.route(
    "/api/sandboxes",
    sandboxRoutes<DemoPrincipal>({
      // `Authorization: Bearer <token>` from fetch; `?token=<token>` from EventSource, which
      // cannot send headers. A query token ends up in access logs: in production, prefer a
      // session cookie (EventSource sends cookies of its own origin).
      authorize: (c) => sameText(presentedToken(c), settings.token) ? principal : null,
      scope: (name, who) => name.startsWith(`${who.tenant}-`),
      maxExecMs: 30_000,
      // The preview panel's server (examples/public/app.js), shown in an iframe, which can only
      // present the token in the query: it is stripped before the request enters the sandbox.
      ports: ({ port }) => port === PREVIEW_PORT,
      preview: { stripQuery: ["token"] },
      ...(upgradeWebSocket ? { upgradeWebSocket } : {}),
    }),
  );
  if (readPage) {
    for (const [path, [file, type]] of Object.entries(PAGE)) {
      app.get(path, async () =>
        new Response(await readPage(file), {
          headers: { "content-type": type, "cache-control": "no-cache" },
        }));
    }
  }
  return app;
}

/** The lines a server prints once it listens. */
export function banner(url: string, settings: DemoSettings, sandbox?: string): string {
  const query = new URLSearchParams({ token: settings.token });
  if (sandbox) query.set("sandbox", sandbox);
  const lines = [
    `open ${url}/?${query}`,
    `sandbox API: ${url}/api/sandboxes (Authorization: Bearer <token>), names "${settings.tenant}-…"`,
  ];
  if (settings.token === DEV_TOKEN) lines.push(`APP_TOKEN not set: the token is "${DEV_TOKEN}"`);
  return lines.join("\n");
}

/** The bearer token, or on GET (what EventSource sends) the `token` query parameter. */
function presentedToken(c: ContextLike): string {
  const header = c.req.header("authorization") ?? "";
  if (header.startsWith("Bearer ")) return header.slice(7).trim();
  return c.req.method === "GET" ? c.req.query("token") ?? "" : "";
}

/** Compares two strings in time that depends on their length only. */
function sameText(a: string, b: string): boolean {
  let differ = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    differ |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return differ === 0;
}
