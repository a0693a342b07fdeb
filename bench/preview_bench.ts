// Throughput of the Hono adapter's preview route against exec stdout in the same run, over
// loopback to the local cloud: 32 MiB per iteration from a Python HTTP server in the sandbox (the
// tests' preview server), fetched through `/:name/ports/:port/*` of an app on Deno.serve, against
// 32 MiB of `head -c` stdout read straight from the client. Run with
// `deno task bench bench/preview_bench.ts` (MB/s = 33.5 / seconds per iteration).
import { Hono } from "hono";
import { Microsandbox } from "../mod.ts";
import { sandboxRoutes } from "../src/hono/mod.ts";
import { startLocalCloud } from "../src/testing/mod.ts";
import { previewServer } from "../tests/hono/_preview_server.ts";
import { startServer } from "../tests/tcp/_servers.ts";

const MIB = 32;
const TOTAL = MIB * 1024 * 1024;
const PORT = 7300;

const cloud = await startLocalCloud({ generation: "current" });
const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
const sandbox = await msb.sandboxes.create({ name: "bench", image: "python" });
const server = await startServer(sandbox, previewServer(PORT));
const app = new Hono().route(
  "/",
  sandboxRoutes({ authorize: () => ({}), client: msb, ports: ({ port }) => port === PORT }),
);
const http = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
const url = `http://127.0.0.1:${http.addr.port}/bench/ports/${PORT}/big?mib=${MIB}`;
globalThis.addEventListener("unload", () => {
  server.kill().catch(() => {});
  http.shutdown();
  cloud.close();
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number> {
  let size = 0;
  for await (const chunk of stream) size += chunk.byteLength;
  return size;
}

Deno.bench({
  name: "exec head -c 32 MiB stdout (baseline)",
  group: "32 MiB out of a sandbox",
  baseline: true,
  n: 20,
  warmup: 2,
  async fn() {
    const process = await sandbox.spawn("head", ["-c", String(TOTAL), "/dev/zero"]);
    await process.stdin.close();
    await process.stderr.cancel();
    const size = await readAll(process.stdout);
    if (size !== TOTAL) throw new Error(`got ${size} bytes`);
  },
});

Deno.bench({
  name: "preview route, 32 MiB from an HTTP server in the sandbox",
  group: "32 MiB out of a sandbox",
  n: 20,
  warmup: 2,
  async fn() {
    const response = await fetch(url);
    const size = await readAll(response.body!);
    if (size !== TOTAL) throw new Error(`got ${size} bytes`);
  },
});
