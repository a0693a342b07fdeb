// The preview route under load and cancel, against a server in a sandbox of the local cloud: a
// stalled preview client holds only its own tunnel (an exec in the same sandbox runs meanwhile),
// a client that goes away closes its tunnel before or after the head, and 64 MiB arrive byte for
// byte in a reader process whose retained memory stays bounded (tests/hono/_files_large_reader.ts).
import assert from "node:assert/strict";
import type { PortAccess } from "../../src/hono/mod.ts";
import { startServer, until } from "../tcp/_servers.ts";
import { ACME, type AppSetup, appSetup, json, running } from "./_app.ts";
import { bigDigest, previewServer } from "./_preview_server.ts";
import { readInChild } from "./_read_in_child.ts";

const PORT = 7100;
const SIZE_MIB = 64;
const MAX_GROWTH_MIB = 64;

async function previewSetup(): Promise<AppSetup & { url: string }> {
  const app = await appSetup({ ports: ({ port }: PortAccess) => port === PORT });
  const sandbox = await running(app.env, "acme-web");
  await startServer(sandbox, previewServer(PORT));
  return Object.assign(app, { url: `${app.base}/acme-web/ports/${PORT}` });
}

function tunnels(app: AppSetup): number {
  return app.env.cloud.openTcpTunnels().length;
}

Deno.test("A stalled preview client does not hold up an exec in the same sandbox; cancelling its body closes the tunnel", async () => {
  await using app = await previewSetup();
  const response = await fetch(`${app.url}/big?mib=256`, { headers: ACME });
  assert.equal(response.status, 200);
  const reader = response.body!.getReader();
  assert.ok((await reader.read()).value!.byteLength > 0);
  // The client reads nothing more; the sandbox's server is held by backpressure.
  const exec = await fetch(`${app.base}/acme-web/exec`, json(ACME, { cmd: "echo", args: ["ok"] }));
  assert.equal(exec.status, 200);
  assert.equal((await exec.json()).stdout, "ok\n");
  assert.equal(tunnels(app), 1, "the stalled preview's tunnel is still open");
  await reader.cancel();
  await until(() => tunnels(app) === 0, "the cancelled preview's tunnel closed");
});

Deno.test("A preview client that goes away before the head closes its tunnel", async () => {
  await using app = await previewSetup();
  const controller = new AbortController();
  const pending = fetch(`${app.url}/hang`, { headers: ACME, signal: controller.signal });
  await until(() => tunnels(app) === 1, "the preview's tunnel opened");
  controller.abort();
  await assert.rejects(pending);
  await until(() => tunnels(app) === 0, "the abandoned preview's tunnel closed");
});

Deno.test(`GET through the preview route carries ${SIZE_MIB} MiB from python's server byte for byte; the reader retains under ${MAX_GROWTH_MIB} MiB more`, async () => {
  await using app = await previewSetup();
  const { total, digest, growthMib: growth } = await readInChild(
    `${app.url}/big?mib=${SIZE_MIB}`,
    ACME.authorization,
  );
  console.log(`${SIZE_MIB} MiB through the preview route: reader retained growth ${growth} MiB`);
  assert.equal(total, SIZE_MIB * 1024 * 1024);
  assert.equal(digest, bigDigest(SIZE_MIB));
  assert.ok(growth < MAX_GROWTH_MIB, `the reader retained ${growth} MiB more`);
  await until(() => tunnels(app) === 0, "the finished preview's tunnel closed");
});
