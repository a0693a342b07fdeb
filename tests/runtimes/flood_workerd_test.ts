import assert from "node:assert/strict";
import { startLocalCloud } from "../../src/testing/mod.ts";
import { bundleWorker } from "./_bundle_worker.ts";
import { resultOf, runChild } from "./_child.ts";
import { ensureRuntimes, REPO } from "./_install.ts";
import { FLOOD_TOTAL } from "./_isolation.ts";

Deno.test("In workerd (miniflare), a reader that only counts bytes gets all 256 MiB a process writes", async () => {
  const runtimes = await ensureRuntimes();
  const dir = await Deno.makeTempDir({ prefix: "msb-flood-workerd-" });
  try {
    const bundle = await bundleWorker(dir, "tests/runtimes/_flood_worker.ts");
    await using cloud = await startLocalCloud({ generation: "current" });
    const output = await runChild({
      label: "miniflare (flood) on node",
      command: runtimes.node,
      args: ["tests/runtimes/_flood_miniflare_main.ts", bundle, runtimes.miniflare],
      env: { MSB_API_URL: cloud.url, MSB_API_KEY: cloud.apiKey },
      cwd: REPO,
      timeoutMs: 120_000,
    });
    const result = resultOf<{ flood: unknown }>(output, "miniflare (flood)");
    assert.deepEqual(result.flood, { read: FLOOD_TOTAL, code: 0 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
