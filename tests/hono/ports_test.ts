// The preview route `/:name/ports/:port/*` against a real HTTP server in a sandbox of the local
// cloud, over real HTTP: what crosses it each way, the path it maps, and what the sandbox answers
// when nothing listens or it speaks no HTTP.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Hono } from "hono";
import { type PortAccess, sandboxRoutes } from "../../src/hono/mod.ts";
import { patternSource } from "../_pattern_source.ts";
import { echoServer, startServer, until } from "../tcp/_servers.ts";
import { ACME, type AppSetup, appSetup, errorCode, running, type Tenant } from "./_app.ts";
import { previewServer } from "./_preview_server.ts";

const PORT = 7100;
/** The test apps let every tenant reach ports 7100 to 7199. */
const PORTS = ({ port }: PortAccess) => port >= 7100 && port < 7200;

/** An app over a cloud whose `acme-web` sandbox serves the preview server on {@linkcode PORT}. */
async function previewSetup(
  options: Parameters<typeof appSetup>[0] = {},
): Promise<AppSetup & { url: string }> {
  const app = await appSetup({ ports: PORTS, ...options });
  const sandbox = await running(app.env, "acme-web");
  await startServer(sandbox, previewServer(PORT));
  return Object.assign(app, { url: `${app.base}/acme-web/ports/${PORT}` });
}

interface Echo {
  method: string;
  target: string;
  headers: Record<string, string>;
  bytes: number;
  sha256: string;
}

Deno.test("GET /:name/ports/:port/* answers what the sandbox's server answers, at the path and query after the port", async () => {
  await using app = await previewSetup();
  const response = await fetch(`${app.url}/echo/a%20b?x=1&y=%2F`, { headers: ACME });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/json");
  assert.equal(response.headers.get("x-served-by"), "sandbox");
  const echo: Echo = await response.json();
  assert.equal(echo.method, "GET");
  assert.equal(echo.target, "/echo/a%20b?x=1&y=%2F");
  assert.equal(echo.headers.host, `localhost:${PORT}`);
  assert.equal(echo.bytes, 0);
});

Deno.test("The preview route forwards the root as / and redirects the bare port to it", async () => {
  await using app = await previewSetup();
  const root: Echo = await (await fetch(`${app.url}/?q`, { headers: ACME })).json();
  assert.equal(root.target, "/?q");
  const bare = await fetch(`${app.url}?q`, { headers: ACME, redirect: "manual" });
  assert.equal(bare.status, 308);
  assert.equal(bare.headers.get("location"), `${PORT}/?q`);
  await bare.body?.cancel();
  const followed: Echo = await (await fetch(`${app.url}?q`, { headers: ACME })).json();
  assert.equal(followed.target, "/?q");
});

Deno.test("The preview route never forwards the app's credentials, hop-by-hop fields or the stripped query", async () => {
  await using app = await previewSetup({
    preview: {
      stripHeaders: ["authorization", "cookie", "proxy-authorization", "x-app-key"],
      stripQuery: ["token"],
    },
  });
  const response = await fetch(`${app.url}/echo?token=acme-token&keep=1`, {
    headers: {
      ...ACME,
      cookie: "app-session=secret",
      "proxy-authorization": "Basic c2VjcmV0",
      "x-app-key": "secret",
      "x-forwarded-for": "10.0.0.1",
      connection: "keep-alive, x-hop",
      "x-hop": "hop",
      "x-end": "end",
    },
  });
  const echo: Echo = await response.json();
  assert.equal(echo.target, "/echo?keep=1");
  assert.equal(echo.headers["x-end"], "end");
  for (const name of ["authorization", "cookie", "proxy-authorization", "x-app-key", "x-hop"]) {
    assert.equal(echo.headers[name], undefined, `${name} reached the sandbox`);
  }
  assert.ok(
    !JSON.stringify(echo).includes(app.env.cloud.apiKey),
    "the API key reached the sandbox",
  );
  assert.ok(!JSON.stringify(echo).includes("secret"));
});

Deno.test("The preview route drops the sandbox's cookies and origin-wide fields and adds its sandbox CSP", async () => {
  await using app = await previewSetup();
  const response = await fetch(`${app.url}/echo`, { headers: ACME });
  await response.body?.cancel();
  assert.equal(response.headers.get("set-cookie"), null);
  assert.equal(response.headers.get("clear-site-data"), null);
  assert.equal(
    response.headers.get("content-security-policy"),
    "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads",
  );
  await using own = await previewSetup({ preview: { csp: false } });
  const bare = await fetch(`${own.url}/echo`, { headers: ACME });
  await bare.body?.cancel();
  assert.equal(bare.headers.get("content-security-policy"), null);
  assert.equal(bare.headers.get("set-cookie"), null);
});

Deno.test("POST through the preview route streams a 64 MiB body of unknown length into the sandbox byte for byte", async () => {
  await using app = await previewSetup();
  const sent = createHash("sha256");
  const response = await fetch(`${app.url}/echo`, {
    method: "POST",
    headers: { ...ACME, "content-type": "application/octet-stream" },
    body: patternSource(64, sent),
  });
  assert.equal(response.status, 201);
  const echo: Echo = await response.json();
  assert.equal(echo.method, "POST");
  assert.equal(echo.bytes, 64 * 1024 * 1024);
  assert.equal(echo.sha256, sent.digest("hex"));
  assert.equal(echo.headers["transfer-encoding"], "chunked");
});

Deno.test("HEAD, PUT and DELETE pass through the preview route with their method", async () => {
  await using app = await previewSetup();
  const head = await fetch(`${app.url}/echo`, { method: "HEAD", headers: ACME });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
  const put: Echo = await (await fetch(`${app.url}/echo`, {
    method: "PUT",
    headers: ACME,
    body: "hello",
  })).json();
  assert.deepEqual([put.method, put.bytes, put.headers["content-length"]], ["PUT", 5, "5"]);
  const del: Echo = await (await fetch(`${app.url}/echo`, { method: "DELETE", headers: ACME }))
    .json();
  assert.equal(del.method, "DELETE");
});

Deno.test("The preview route answers 502 connection_refused when nothing listens on the port", async () => {
  await using app = await previewSetup();
  const response = await fetch(`${app.base}/acme-web/ports/7199/`, { headers: ACME });
  assert.equal(response.status, 502);
  const { error } = await response.json();
  assert.equal(error.code, "connection_refused");
  assert.match(error.message, /Nothing listens on this port/);
});

Deno.test("The preview route answers 502 upstream_error when the sandbox's server speaks no HTTP", async () => {
  await using app = await previewSetup();
  const sandbox = await app.env.msb.sandboxes.get("acme-web");
  await startServer(sandbox, echoServer(7101)); // echoes the request: not a response
  const response = await fetch(`${app.base}/acme-web/ports/7101/`, { headers: ACME });
  assert.equal(response.status, 502);
  const { error } = await response.json();
  assert.equal(error.code, "upstream_error");
  assert.match(error.message, /valid HTTP\/1\.1/);
});

Deno.test("The preview route answers 504 timeout when the head does not come within maxHeadMs, and closes the tunnel", async () => {
  await using app = await previewSetup({ preview: { maxHeadMs: 1000 } });
  const response = await fetch(`${app.url}/hang`, { headers: ACME });
  assert.equal(response.status, 504);
  assert.equal(await errorCode(response), "timeout");
  await until(() => app.env.cloud.openTcpTunnels().length === 0, "the tunnel closed");
});

Deno.test("The preview route refuses a body over preview.maxBodyBytes with 413, declared or streamed", async () => {
  await using app = await previewSetup({ preview: { maxBodyBytes: 1024 } });
  const declared = await fetch(`${app.url}/echo`, {
    method: "POST",
    headers: ACME,
    body: new Uint8Array(2048),
  });
  assert.equal(declared.status, 413);
  assert.equal(await errorCode(declared), "payload_too_large");
  const streamed = await fetch(`${app.url}/echo`, {
    method: "POST",
    headers: ACME,
    body: patternSource(1, createHash("sha256")),
  });
  assert.equal(streamed.status, 413);
  assert.equal(await errorCode(streamed), "payload_too_large");
});

Deno.test("The ports policy sees the port, sandbox, method and the path as forwarded", async () => {
  const seen: PortAccess[] = [];
  await using app = await previewSetup({
    ports: (access: PortAccess, who: Tenant) => {
      seen.push(access);
      return who.tenant === "acme" && PORTS(access);
    },
  });
  const response = await fetch(`${app.url}/a/%2e%2e/echo?x=1`, { method: "PATCH", headers: ACME });
  const echo: Echo = await response.json();
  assert.equal(echo.target, "/echo?x=1");
  assert.deepEqual(seen, [{ port: PORT, sandbox: "acme-web", method: "PATCH", path: "/echo" }]);
  assert.ok(Object.isFrozen(seen[0]));
});

Deno.test("A subdomain-style mount (the README's) lets the sandbox's pages see themselves at /", async () => {
  await using app = await previewSetup();
  const routes = sandboxRoutes<Tenant>({
    authorize: (c) =>
      c.req.header("authorization") === ACME.authorization ? { tenant: "acme" } : null,
    scope: (name, principal) => name.startsWith(`${principal.tenant}-`),
    ports: PORTS,
    client: app.env.msb,
  });
  const previews = new Hono();
  previews.all("*", (c) => {
    const host = /^([a-z0-9-]+)--(\d+)\.preview\./.exec(new URL(c.req.url).hostname);
    if (!host) return c.notFound();
    const url = new URL(c.req.url);
    url.pathname = `/${host[1]}/ports/${host[2]}${url.pathname}`;
    return routes.fetch(new Request(url, c.req.raw), c.env);
  });
  const response = await previews.request(
    `http://acme-web--${PORT}.preview.example.com/echo/page?x=1`,
    { headers: ACME },
  );
  const echo: Echo = await response.json();
  assert.equal(echo.target, "/echo/page?x=1");
  const root: Echo = await (await previews.request(
    `http://acme-web--${PORT}.preview.example.com/`,
    { headers: ACME },
  )).json();
  assert.equal(root.target, "/");
  const other = await previews.request(`http://globex-web--${PORT}.preview.example.com/`, {
    headers: ACME,
  });
  assert.equal(other.status, 404);
});
