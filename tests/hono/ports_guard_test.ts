// What the preview route refuses before any connection into a sandbox: no principal, a sandbox out
// of scope or badly named, a bad port, a port outside the policy (none by default), an upgrade other than WebSocket, a
// declared body over the limit. The local cloud's recorded requests show no agent socket opened.
import assert from "node:assert/strict";
import { Microsandbox } from "../../mod.ts";
import { type PortAccess, sandboxRoutes } from "../../src/hono/mod.ts";
import { ACME, type AppSetup, appSetup, GLOBEX, rawRequest, running } from "./_app.ts";

/** The agent sockets the cloud was asked for (each tunnel opens one). */
function agentRequests(app: AppSetup): number {
  return app.env.cloud.requests.filter((request) => request.url.endsWith("/agent")).length;
}

async function refused(
  app: AppSetup,
  path: string,
  init: RequestInit,
  status: number,
  code: string,
): Promise<void> {
  const response = await fetch(`${app.base}${path}`, init);
  const body = await response.json();
  assert.deepEqual(
    [response.status, body.error.code],
    [status, code],
    `${path}: ${body.error.message}`,
  );
}

Deno.test("The preview route refuses every bad request with the adapter's JSON errors before any tunnel", async () => {
  await using app = await appSetup({
    ports: ({ port }: PortAccess) => port === 7100,
    preview: { maxBodyBytes: 1024 },
  });
  await running(app.env, "acme-web");
  await running(app.env, "globex-web");
  const before = app.env.cloud.requests.length;
  await refused(app, "/acme-web/ports/7100/", {}, 401, "unauthorized");
  await refused(app, "/acme-web/ports/7100/", { headers: GLOBEX }, 404, "not_found");
  await refused(app, "/globex-web/ports/7100/", { headers: ACME }, 404, "not_found");
  await refused(app, "/acme-web/ports/7101/", { headers: ACME }, 403, "forbidden");
  await refused(app, "/acme-web/ports/7101", { headers: ACME }, 403, "forbidden");
  for (const port of ["0", "65536", "99999", "-1", "abc", "07100", "7100.0", "1e3", "0x1c"]) {
    await refused(app, `/acme-web/ports/${port}/`, { headers: ACME }, 400, "invalid_request");
  }
  await refused(
    app,
    `/acme-${"x".repeat(130)}/ports/7100/`,
    { headers: ACME },
    400,
    "invalid_request",
  );
  await refused(
    app,
    "/acme-web/ports/7100/big",
    {
      method: "POST",
      headers: ACME,
      body: new Uint8Array(1025),
    },
    413,
    "payload_too_large",
  );
  const [status, body] = await rawRequest(app, "GET", "/acme-web/ports/7100/socket", {
    ...ACME,
    upgrade: "h2c",
    connection: "Upgrade, HTTP2-Settings",
    "http2-settings": "AAMAAABkAARAAAAAAAIAAAAA",
  });
  assert.deepEqual([status, (body as { error: { code: string } }).error.code], [
    501,
    "unsupported",
  ]);
  assert.equal(agentRequests(app), 0);
  assert.deepEqual(app.env.cloud.openTcpTunnels(), []);
  // Only the routes' own reads of nothing: no request reached the cloud at all.
  assert.equal(app.env.cloud.requests.length, before);
});

Deno.test("The preview route reaches no port by default: 403 forbidden, no tunnel", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-web");
  await refused(app, "/acme-web/ports/8000/", { headers: ACME }, 403, "forbidden");
  assert.equal(agentRequests(app), 0);
});

Deno.test("sandboxRoutes refuses a bad ports or preview option at once", () => {
  const client = new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" });
  const authorize = () => ({});
  const typeErrors: unknown[] = [
    { ports: 8000 },
    { preview: "yes" },
    { preview: { stripHeaders: "authorization" } },
    { preview: { stripHeaders: ["bad header"] } },
    { preview: { stripQuery: [1] } },
    { preview: { csp: "" } },
    { preview: { csp: "sandbox\r\nx: y" } },
    { preview: { csp: true } },
  ];
  for (const options of typeErrors) {
    assert.throws(
      () => sandboxRoutes({ authorize, client, ...options as object }),
      TypeError,
      JSON.stringify(options),
    );
  }
  const bounds = [
    { maxBodyBytes: 0 },
    { maxHeadMs: -1 },
    { maxHeadMs: NaN },
    { maxHeadMs: 2 ** 31 }, // a timer would fire at once
    { maxMessageBytes: 0 },
  ];
  for (const preview of bounds) {
    assert.throws(() => sandboxRoutes({ authorize, client, preview }), RangeError);
  }
  assert.throws(() => sandboxRoutes({ authorize, client, maxExecMs: 2 ** 31 }), {
    name: "RangeError",
    message:
      "sandboxRoutes: options.maxExecMs must be a positive number of milliseconds up to 2147483647",
  });
  assert.throws(
    () => sandboxRoutes({ authorize, client, preview: { origin: ["not an origin"] } }),
    {
      name: "TypeError",
      message: /options\.preview\.origin must be a function or a list of origins/,
    },
  );
});

Deno.test("The preview route answers 501 unsupported on the v0.5 wire, which has no tunnels", async () => {
  await using app = await appSetup({ ports: () => true }, { generation: "v0.5" });
  await app.env.msb.sandboxes.create({ name: "acme-old", image: "python" });
  await refused(app, "/acme-old/ports/8000/", { headers: ACME }, 501, "unsupported");
});
