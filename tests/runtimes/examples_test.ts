// The example servers of examples/, each on its own runtime, serve the page and the Hono adapter
// against a local cloud: the adapter checks of the smoke suite run against each over HTTP.
import assert from "node:assert/strict";
import { startLocalCloud } from "../../src/testing/mod.ts";
import { ensureRuntimes, REPO } from "./_install.ts";
import { startServer } from "./_server.ts";
import { ADAPTER_CHECKS, runAdapterSmoke } from "./_smoke_adapter.ts";

const TOKEN = "example-test-token";
/** What an example server prints once it listens: `open http://127.0.0.1:<port>/…`. */
const BANNER = /^open (http:\/\/127\.0\.0\.1:\d+)/m;

/** Runs one example server and checks its page and its sandbox routes. */
async function checkExample(label: string, command: string, args: string[], cloudEnv = true) {
  await using cloud = await startLocalCloud({ generation: "current" });
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "",
    PORT: "0",
    APP_TOKEN: TOKEN,
    TENANT: "demo",
  };
  if (cloudEnv) Object.assign(env, { MSB_API_URL: cloud.url, MSB_API_KEY: cloud.apiKey });
  await using server = await startServer({ label, command, args, env, listening: BANNER });
  const page = await fetch(`${server.origin}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(await page.text(), /<script/);
  const script = await (await fetch(`${server.origin}/app.js`)).text();
  assert.match(script, /new EventSource\(/);
  const checks = await runAdapterSmoke({
    call: (path, init) => fetch(`${server.origin}/api/sandboxes${path}`, init),
    token: TOKEN,
    name: `demo-${label}-${crypto.randomUUID().slice(0, 8)}`,
  });
  assert.deepEqual(checks, ADAPTER_CHECKS);
}

Deno.test("examples/deno_server.ts serves the page and the adapter on its own local cloud", async () => {
  const args = ["run", "-A", "--unstable-net", `${REPO}/examples/deno_server.ts`];
  await checkExample("deno", Deno.execPath(), args, false);
});

Deno.test("examples/bun_server.ts serves the page and the adapter on Bun", async () => {
  const { bun } = await ensureRuntimes();
  await checkExample("bun", bun, [`${REPO}/examples/bun_server.ts`]);
});

Deno.test("examples/node_server.ts serves the page and the adapter on Node 24", async () => {
  const { node } = await ensureRuntimes();
  await checkExample("node", node, [`${REPO}/examples/node_server.ts`]);
});
