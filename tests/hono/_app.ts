// Shared setup of the Hono adapter tests: a local cloud, the adapter mounted in a Hono app, and
// the app served on loopback.
import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import type { Sandbox } from "../../mod.ts";
import { microsandbox, sandboxRoutes, type SandboxRoutesOptions } from "../../src/hono/mod.ts";
import type { LocalCloudOptions } from "../../src/testing/mod.ts";
import { type Setup, setup } from "../_cloud.ts";

/** Who the test app's tokens stand for. */
export interface Tenant {
  tenant: string;
}

/** The bearer tokens of the two tenants. */
export const ACME = { authorization: "Bearer acme-token" };
export const GLOBEX = { authorization: "Bearer globex-token" };

/** A running app over a local cloud; dispose to stop both. */
export interface AppSetup extends AsyncDisposable {
  env: Setup;
  app: Hono;
  /** `http://127.0.0.1:PORT/api/sandboxes`. */
  base: string;
  /** `app.request` under `/api/sandboxes`. */
  request(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * Serves the adapter (`authorize` by tenant token, `scope` by name prefix) over a new cloud, of
 * the current generation unless `cloudOptions` says otherwise (the client speaks the same).
 */
export async function appSetup(
  options: Partial<SandboxRoutesOptions<Tenant>> = {},
  cloudOptions: LocalCloudOptions = {},
): Promise<AppSetup> {
  const env = await setup(cloudOptions.generation ?? "current", {}, cloudOptions);
  const app = new Hono();
  app.use("/api/*", microsandbox({ client: env.msb }));
  app.route(
    "/api/sandboxes",
    sandboxRoutes<Tenant>({
      authorize: (c) => {
        const token = c.req.header("authorization")?.replace(/^Bearer /, "");
        return token?.endsWith("-token") ? { tenant: token.slice(0, -"-token".length) } : null;
      },
      scope: (name, principal) => name.startsWith(`${principal.tenant}-`),
      upgradeWebSocket,
      ...options,
    }),
  );
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  return {
    env,
    app,
    base: `http://127.0.0.1:${server.addr.port}/api/sandboxes`,
    request: (path, init) => Promise.resolve(app.request(`/api/sandboxes${path}`, init)),
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await env.cloud.close();
    },
  };
}

/** Creates a running sandbox straight on the cloud. */
export async function running(env: Setup, name: string): Promise<Sandbox> {
  const sandbox = await env.msb.sandboxes.create({ name, image: "alpine" });
  while (sandbox.status !== "running") await sandbox.refresh();
  return sandbox;
}

/** The error code of a JSON error response (its body consumed). */
export async function errorCode(response: Response): Promise<string> {
  const body = await response.json();
  return body.error.code;
}

/** Waits until the local cloud runs no process whose command includes `cmd`. */
export async function processGone(env: Setup, cmd: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (!env.cloud.processes().some((p) => p.cmd.includes(cmd))) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the local cloud still runs ${cmd}`);
}

/** Waits until `check` holds (polling), or fails with `what`. */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}

/** JSON request headers of a tenant. */
export function json(headers: Record<string, string>, body: unknown): RequestInit {
  return {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

/**
 * Sends a WebSocket upgrade of `path` (under the mount, query included) with `headers` as raw
 * HTTP/1.1 on TCP, so that a refusal is read as the server wrote it; returns the status and the
 * JSON body (`undefined` when the answer has no `Content-Length`, such as a 101).
 */
export async function rawUpgrade(
  app: AppSetup,
  path: string,
  headers: Record<string, string>,
): Promise<[number, unknown]> {
  return await rawRequest(app, "GET", path, {
    upgrade: "websocket",
    connection: "Upgrade",
    "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    "sec-websocket-version": "13",
    ...headers,
  });
}

/**
 * Sends `METHOD path` (under the mount, written as given: no `.` or `..` resolved, no escape
 * changed) with `headers` and `body` as raw HTTP/1.1 on TCP; returns the status and the JSON body
 * (`undefined` when the answer has no `Content-Length`, and for `HEAD`).
 */
export async function rawRequest(
  app: AppSetup,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = "",
): Promise<[number, unknown]> {
  const url = new URL(app.base);
  const connection = await Deno.connect({ hostname: "127.0.0.1", port: Number(url.port) });
  const request = [
    `${method} ${url.pathname}${path} HTTP/1.1`,
    `host: ${url.host}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    "",
    body,
  ].join("\r\n");
  await connection.write(new TextEncoder().encode(request));
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of connection.readable) {
    text += decoder.decode(chunk, { stream: true });
    const [head, answer] = text.split("\r\n\r\n", 2);
    if (answer === undefined) continue;
    const status = Number(head!.split(" ")[1]);
    const length = /^content-length: (\d+)$/im.exec(head!)?.[1];
    if (length === undefined || method === "HEAD") {
      connection.close();
      return [status, undefined];
    }
    if (answer.length < Number(length)) continue;
    connection.close();
    return [status, JSON.parse(answer)];
  }
  throw new Error(`the server closed the connection after ${JSON.stringify(text)}`);
}
