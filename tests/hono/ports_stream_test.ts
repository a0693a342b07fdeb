// The preview route under load and cancel, against a server in a sandbox of the local cloud: a
// stalled preview client holds only its own tunnel (an exec in the same sandbox runs meanwhile),
// a client that goes away closes its tunnel before or after the head, a 64 MiB file from
// `python3 -m http.server` arrives byte for byte in a reader process whose retained memory stays
// bounded (tests/hono/_files_large_reader.ts), and so does a chunked answer from a Deno server.
import assert from "node:assert/strict";
import type { PortAccess } from "../../src/hono/mod.ts";
import {
  patternCheck,
  randomFile,
  startChunkedServer,
  startHttpServer,
} from "../tcp/_http_servers.ts";
import { startServer, until } from "../tcp/_servers.ts";
import { ACME, type AppSetup, appSetup, json, running } from "./_app.ts";
import { previewServer } from "./_preview_server.ts";
import { readInChild } from "./_read_in_child.ts";

const PORT = 7100;
/** The port of `python3 -m http.server` and of the chunked Deno server. */
const FILE_PORT = 7101;
const SIZE_MIB = 64;
const MAX_GROWTH_MIB = 64;
/** The answer a stalled client stops reading, and how long it stalls. */
const STALLED_MIB = 256;
const STALL_MS = 3000;
const EXEC_BOUND_MS = 60_000;

async function previewSetup(): Promise<AppSetup & { url: string }> {
  const app = await appSetup({ ports: ({ port }: PortAccess) => port === PORT });
  const sandbox = await running(app.env, "acme-web");
  await startServer(sandbox, previewServer(PORT));
  return Object.assign(app, { url: `${app.base}/acme-web/ports/${PORT}` });
}

function tunnels(app: AppSetup): number {
  return app.env.cloud.openTcpTunnels().length;
}

Deno.test("A stalled preview client does not hold up an exec in the same sandbox, nor lose its answer; cancelling its body closes the tunnel", async () => {
  await using app = await previewSetup();
  const response = await fetch(`${app.url}/big?mib=${STALLED_MIB}`, { headers: ACME });
  assert.equal(response.status, 200);
  const reader = response.body!.getReader();
  let received = (await reader.read()).value!.byteLength;
  try {
    // The client reads nothing more for a while; the sandbox's server is held by backpressure.
    await new Promise((resolve) => setTimeout(resolve, STALL_MS));
    // A generous bound, so that an exec held up by the stall fails the test instead of hanging it.
    const exec = await fetch(`${app.base}/acme-web/exec`, {
      ...json(ACME, { cmd: "echo", args: ["ok"] }),
      signal: AbortSignal.timeout(EXEC_BOUND_MS),
    });
    assert.equal(exec.status, 200);
    assert.equal((await exec.json()).stdout, "ok\n");
    assert.equal(tunnels(app), 1, "the stalled preview's tunnel is still open");
    // Held back, not dropped: the rest arrives once the client reads again.
    while (received < (STALLED_MIB - 1) * 1024 * 1024) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the answer ended after ${received} bytes`);
      received += value.byteLength;
    }
  } finally {
    // Also on a failure, so that the server can shut down.
    await reader.cancel().catch(() => {});
  }
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

Deno.test(`A ${SIZE_MIB} MiB file from python3 -m http.server arrives byte-identical through the preview route (sha256sum in the sandbox); the reader retains under ${MAX_GROWTH_MIB} MiB more`, async () => {
  await using app = await appSetup({ ports: ({ port }: PortAccess) => port === FILE_PORT });
  const sandbox = await running(app.env, "acme-site");
  await sandbox.fs.mkdir("/srv");
  const expected = await randomFile(sandbox, "/srv", "big.bin", SIZE_MIB * 1024 * 1024);
  const server = await startHttpServer(sandbox, "/srv", FILE_PORT);
  const url = `${app.base}/acme-site/ports/${FILE_PORT}/big.bin`;
  const { total, digest, growthMib: growth } = await readInChild(url, ACME.authorization);
  console.log(
    `a ${SIZE_MIB} MiB file through the preview route: reader retained growth ${growth} MiB`,
  );
  assert.equal(total, SIZE_MIB * 1024 * 1024);
  assert.equal(digest, expected);
  assert.ok(growth < MAX_GROWTH_MIB, `the reader retained ${growth} MiB more`);
  await until(() => tunnels(app) === 0, "the finished preview's tunnel closed");
  await server.kill();
});

Deno.test("A chunked answer from a Deno server in the sandbox arrives intact through the preview route", async () => {
  await using app = await appSetup({ ports: ({ port }: PortAccess) => port === FILE_PORT });
  const sandbox = await running(app.env, "acme-chunked");
  const size = 16 * 1024 * 1024 + 17;
  const server = await startChunkedServer(sandbox, size, FILE_PORT);
  const response = await fetch(`${app.base}/acme-chunked/ports/${FILE_PORT}/`, { headers: ACME });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-length"), null);
  assert.deepEqual(await patternCheck(response.body!), { total: size, mismatch: -1 });
  await until(() => tunnels(app) === 0, "the finished preview's tunnel closed");
  await server.kill();
});
