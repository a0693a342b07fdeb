// The example servers of examples/, each on its own runtime, serve the page and the Hono adapter
// against a local cloud: the adapter checks of the smoke suite run against each over HTTP, then a
// WebSocket through the preview route (_preview_ws_check.ts), which Node refuses with 501.
import assert from "node:assert/strict";
import { startLocalCloud } from "../../src/testing/mod.ts";
import { ensureRuntimes, REPO } from "./_install.ts";
import {
  checkPreviewWebSocket,
  type ExampleTarget,
  PREVIEW_WS_CHECKS,
  previewUpgradeRefusal,
} from "./_preview_ws_check.ts";
import { startServer } from "./_server.ts";
import { ADAPTER_CHECKS, runAdapterSmoke } from "./_smoke_adapter.ts";

const TOKEN = "example-test-token";
/** What an example server prints once it listens: `open http://127.0.0.1:<port>/…`. */
const BANNER = /^open (http:\/\/127\.0\.0\.1:\d+)/m;

/** Checks the preview route's WebSocket upgrade on one example server. */
type PreviewCheck = (target: ExampleTarget) => Promise<void>;

/** Runs one example server and checks its page, its sandbox routes and its preview upgrade. */
async function checkExample(
  label: string,
  command: string,
  args: string[],
  preview: PreviewCheck,
  cloudEnv = true,
) {
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
  await preview({ origin: server.origin, token: TOKEN, name: `demo-${label}-preview` });
}

/** The bridge works, and the client's socket gets `protocol` as its subprotocol. */
function bridges(protocol: string): PreviewCheck {
  return async (target) => {
    const result = await checkPreviewWebSocket(target);
    assert.deepEqual(result, { checks: PREVIEW_WS_CHECKS, protocol });
  };
}

/** Without an `upgradeWebSocket`, the upgrade is refused before any tunnel. */
const refuses: PreviewCheck = async (target) => {
  const error = { code: "unsupported", message: "WebSockets are not enabled on this server." };
  assert.deepEqual(await previewUpgradeRefusal(target), [501, { error }]);
};

Deno.test("examples/deno_server.ts serves the page, the adapter and a preview WebSocket on its own local cloud", async () => {
  const args = ["run", "-A", "--unstable-net", `${REPO}/examples/deno_server.ts`];
  await checkExample("deno", Deno.execPath(), args, bridges("chat"), false);
});

Deno.test("examples/bun_server.ts serves the page, the adapter and a preview WebSocket on Bun", async () => {
  const { bun } = await ensureRuntimes();
  await checkExample("bun", bun, [`${REPO}/examples/bun_server.ts`], bridges("chat"));
});

Deno.test("examples/node_server.ts serves the page and the adapter on Node 24, and refuses WebSocket upgrades with 501", async () => {
  const { node } = await ensureRuntimes();
  await checkExample("node", node, [`${REPO}/examples/node_server.ts`], refuses);
});
