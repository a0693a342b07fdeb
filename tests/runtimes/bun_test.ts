import assert from "node:assert/strict";
import { PINNED } from "./_install.ts";
import { smokeOnCli } from "./_run_cli.ts";
import { PUBLIC_API_CHECKS } from "./_smoke.ts";
import { ADAPTER_CHECKS, CONCURRENT_EXECS_CHECK } from "./_smoke_adapter.ts";

Deno.test("the public API and the Hono adapter run on Bun against a local cloud", async () => {
  const result = await smokeOnCli("bun");
  assert.equal(result.runtime, "bun");
  assert.equal(result.version, PINNED.bun);
  assert.equal(result.connector, "WebSocket");
  assert.deepEqual(result.checks, PUBLIC_API_CHECKS);
  assert.deepEqual(result.uploads, ["chunked"], "the volume file went up as a stream");
  assert.deepEqual(result.adapterChecks, [...ADAPTER_CHECKS, CONCURRENT_EXECS_CHECK]);
});
