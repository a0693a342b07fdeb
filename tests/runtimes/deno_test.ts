import assert from "node:assert/strict";
import { startLocalCloud } from "../../src/testing/mod.ts";
import { PUBLIC_API_CHECKS, runSmoke } from "./_smoke.ts";
import { cloudView } from "./_uploads.ts";

// Deno runs the runtime-neutral suite in the test's own process (`--unstable-net`), as the other
// runtimes run it in theirs; the Hono adapter's checks have their own tests in tests/hono/.
Deno.test("the public API runs on Deno against a local cloud", async () => {
  await using cloud = await startLocalCloud({ generation: "current" });
  const result = await runSmoke({
    url: cloud.url,
    apiKey: cloud.apiKey,
    isolation: cloud.isolation,
  });
  assert.equal(result.runtime, "deno");
  assert.equal(result.version, Deno.version.deno);
  assert.equal(result.connector, "WebSocketStream");
  assert.deepEqual(result.checks, PUBLIC_API_CHECKS);
  assert.deepEqual(cloudView(cloud).uploads, ["chunked"], "the volume file went up as a stream");
});
