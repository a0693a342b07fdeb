import assert from "node:assert/strict";
import { startLocalCloud } from "../../src/testing/mod.ts";
import { bundleWorker } from "./_bundle_worker.ts";
import { resultOf, runChild } from "./_child.ts";
import { ensureRuntimes, REPO, type Runtimes } from "./_install.ts";
import type { RuntimeResult } from "./_result.ts";
import { PUBLIC_API_CHECKS } from "./_smoke.ts";
import { ADAPTER_CHECKS, CONCURRENT_EXECS_CHECK } from "./_smoke_adapter.ts";
import { PREVIEW_WEBSOCKET_CHECKS } from "./_smoke_preview_ws.ts";
import { WEBSOCKET_CHECK } from "./_smoke_ws.ts";
import { type CloudView, cloudView } from "./_uploads.ts";

/**
 * Bundles the Worker, starts a local cloud, and runs the miniflare driver in `mode` on Node 24;
 * returns what it printed, with what the cloud saw of its uploads.
 */
async function runWorker<T>(
  mode: "smoke" | "default-client" | "example",
  entry = "tests/runtimes/_worker.ts",
): Promise<T & CloudView> {
  const runtimes: Runtimes = await ensureRuntimes();
  const dir = await Deno.makeTempDir({ prefix: "msb-workerd-" });
  try {
    const bundle = await bundleWorker(dir, entry);
    await using cloud = await startLocalCloud({ generation: "current" });
    const output = await runChild({
      label: `miniflare (${mode}) on node`,
      command: runtimes.node,
      args: ["tests/runtimes/_miniflare_main.ts", mode, bundle, runtimes.miniflare],
      env: {
        MSB_API_URL: cloud.url,
        MSB_API_KEY: cloud.apiKey,
        MSB_ISOLATION: cloud.isolation,
        APP_TOKEN: "example-token",
      },
      cwd: REPO,
      timeoutMs: 60_000,
    });
    return { ...resultOf<T>(output, `miniflare (${mode})`), ...cloudView(cloud) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the public API and the Hono adapter run in workerd (miniflare) against a local cloud", async () => {
  const result = await runWorker<RuntimeResult>("smoke");
  assert.equal(result.runtime, "workerd");
  assert.equal(result.connector, "fetch-upgrade");
  assert.ok(result.fetchUpgrades >= 2, `${result.fetchUpgrades} exec upgrades went through fetch`);
  assert.match(result.headerWebSocket ?? "", /^throws: /);
  assert.deepEqual(result.checks, PUBLIC_API_CHECKS);
  assert.deepEqual(result.uploads, ["chunked"], "the volume file went up as a stream");
  assert.deepEqual(result.adapterChecks, [
    ...ADAPTER_CHECKS,
    CONCURRENT_EXECS_CHECK,
    WEBSOCKET_CHECK,
    ...PREVIEW_WEBSOCKET_CHECKS,
  ]);
});

// The middleware's default client on Workers is built per request: workerd refuses I/O on a socket
// another request opened, and a client shares its agent socket between calls.
Deno.test("the Hono adapter's default client serves concurrent execs from separate Worker requests", async () => {
  const result = await runWorker<Pick<RuntimeResult, "adapterChecks">>("default-client");
  assert.deepEqual(result.adapterChecks, [CONCURRENT_EXECS_CHECK]);
});

Deno.test("examples/worker serves the adapter and its WebSocket bridge in workerd", async () => {
  const result = await runWorker<Pick<RuntimeResult, "adapterChecks">>(
    "example",
    "examples/worker/worker.ts",
  );
  assert.deepEqual(result.adapterChecks, [...ADAPTER_CHECKS, WEBSOCKET_CHECK]);
});
