// Which pages may open the WebSocket route (`origin`), over real HTTP: upgrades are made by a
// WebSocket client that sends `Origin` as a browser would, refusals are read off a raw upgrade
// request on TCP, so that the 403 and its JSON body are what the server wrote.

import assert from "node:assert/strict";
import { Microsandbox } from "../../mod.ts";
import { sandboxRoutes } from "../../src/hono/mod.ts";
import { ACME, type AppSetup, appSetup, rawUpgrade, running } from "./_app.ts";

const FOREIGN = "https://evil.example";

/** Opens the bridge to `echo hi` with `origin` (none when undefined); resolves with its close. */
async function bridged(app: AppSetup, origin: string | undefined): Promise<string[]> {
  const headers: Record<string, string> = { ...ACME, ...(origin ? { origin } : {}) };
  const socket = new WebSocket(`${app.base.replace("http", "ws")}/acme-ws/ws?cmd=echo&arg=hi`, {
    headers,
  });
  const seen: string[] = [];
  socket.onmessage = (event) => seen.push(typeof event.data === "string" ? event.data : "output");
  const closed = await new Promise<CloseEvent>((resolve) => socket.onclose = resolve);
  assert.equal(closed.code, 1000, `the bridge closed with ${closed.code}: ${seen}`);
  return seen.map((message) => message === "output" ? message : JSON.parse(message).type);
}

/** Sends a raw upgrade request with `origin`; returns the status and the JSON body. */
function refusal(app: AppSetup, origin: string): Promise<[number, unknown]> {
  return rawUpgrade(app, "/acme-ws/ws?cmd=echo&arg=hi", { ...ACME, origin });
}

const FORBIDDEN = {
  error: { code: "forbidden", message: "Pages of this origin may not open this WebSocket." },
};

Deno.test("ws route by default upgrades pages of its own host and clients without Origin", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-ws");
  const own = new URL(app.base).origin;
  assert.deepEqual(await bridged(app, own), ["started", "output", "exited"]);
  assert.deepEqual(await bridged(app, own.replace("http:", "https:")), [
    "started",
    "output",
    "exited",
  ]);
  assert.deepEqual(await bridged(app, undefined), ["started", "output", "exited"]);
});

Deno.test("ws route by default refuses a foreign Origin with 403 before any request to the cloud", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-ws");
  const before = app.env.cloud.requests.length;
  for (const origin of [FOREIGN, "null", `${new URL(app.base).origin}.evil.example`]) {
    assert.deepEqual(await refusal(app, origin), [403, FORBIDDEN], origin);
  }
  assert.equal(app.env.cloud.requests.length, before);
});

Deno.test("ws route with a list of origins upgrades those and refuses every other one", async () => {
  await using app = await appSetup({ origin: ["https://app.example.com"] });
  await running(app.env, "acme-ws");
  assert.deepEqual(await bridged(app, "https://app.example.com"), ["started", "output", "exited"]);
  const before = app.env.cloud.requests.length;
  for (const origin of [new URL(app.base).origin, "https://app.example.com.evil.example"]) {
    assert.deepEqual(await refusal(app, origin), [403, FORBIDDEN], origin);
  }
  assert.equal(app.env.cloud.requests.length, before);
  assert.deepEqual(await bridged(app, undefined), ["started", "output", "exited"]);
});

Deno.test("ws route with an origin function asks it with the origin and the context", async () => {
  const asked: string[] = [];
  await using app = await appSetup({
    origin: (origin, c) => {
      asked.push(`${origin} ${new URL(c.req.url).pathname}`);
      return origin.endsWith(".partner.example");
    },
  });
  await running(app.env, "acme-ws");
  assert.deepEqual(await bridged(app, "https://ide.partner.example"), [
    "started",
    "output",
    "exited",
  ]);
  assert.deepEqual(await refusal(app, FOREIGN), [403, FORBIDDEN]);
  assert.deepEqual(asked, [
    "https://ide.partner.example /api/sandboxes/acme-ws/ws",
    `${FOREIGN} /api/sandboxes/acme-ws/ws`,
  ]);
});

Deno.test("sandboxRoutes refuses an origin option that is not a function or a list of origins", () => {
  const client = new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" });
  const message =
    "sandboxRoutes: options.origin must be a function or a list of origins such as https://app.example.com";
  for (const origin of ["https://app.example.com", ["https://app.example.com/"], ["*"], [42]]) {
    assert.throws(
      () => sandboxRoutes({ authorize: () => ({}), client, origin: origin as string[] }),
      { name: "TypeError", message },
      JSON.stringify(origin),
    );
  }
});
