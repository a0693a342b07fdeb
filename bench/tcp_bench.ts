// Throughput of sandbox.connect, sandbox.fetch and the Hono adapter's preview route against exec
// stdout in the same run, over loopback to the local cloud: 32 MiB per iteration from a Python
// server in the sandbox (the tests' `sourceServer`), 32 MiB of a file `python3 -m http.server`
// serves, read through sandbox.fetch, 32 MiB from the tests' preview server fetched through
// `/:name/ports/:port/*` of an app on Deno.serve, against 32 MiB of `head -c` stdout, each read as
// fast as the client can. Run with `deno task bench bench/tcp_bench.ts` (MB/s = 33.5 / seconds
// per iteration).
import { Hono } from "hono";
import { Microsandbox } from "../mod.ts";
import { sandboxRoutes } from "../src/hono/mod.ts";
import { startLocalCloud } from "../src/testing/mod.ts";
import { previewServer } from "../tests/hono/_preview_server.ts";
import { startHttpServer } from "../tests/tcp/_http_servers.ts";
import { sourceServer, startServer } from "../tests/tcp/_servers.ts";

const TOTAL = 32 * 1024 * 1024;
const PORT = 7200;
const HTTP_PORT = 7201;
const PREVIEW_PORT = 7202;
const SITE = "/srv";

const cloud = await startLocalCloud({ generation: "current" });
const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
const sandbox = await msb.sandboxes.create({ name: "bench", image: "python" });
const server = await startServer(sandbox, sourceServer(PORT, TOTAL));
await sandbox.fs.mkdir(SITE);
await sandbox.exec("sh", ["-c", `head -c ${TOTAL} /dev/zero > file.bin`], { cwd: SITE });
const site = await startHttpServer(sandbox, SITE, HTTP_PORT);
const preview = await startServer(sandbox, previewServer(PREVIEW_PORT));
const app = new Hono().route(
  "/",
  sandboxRoutes({ authorize: () => ({}), client: msb, ports: ({ port }) => port === PREVIEW_PORT }),
);
const http = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
const previewUrl = `http://127.0.0.1:${http.addr.port}/bench/ports/${PREVIEW_PORT}/big?mib=32`;
globalThis.addEventListener("unload", () => {
  for (const process of [server, site, preview]) process.kill().catch(() => {});
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
  name: "sandbox.connect, 32 MiB from a server in the sandbox",
  group: "32 MiB out of a sandbox",
  n: 20,
  warmup: 2,
  async fn() {
    const socket = sandbox.connect(PORT);
    await socket.writable.close();
    const size = await readAll(socket.readable);
    if (size !== TOTAL) throw new Error(`got ${size} bytes`);
  },
});

Deno.bench({
  name: "sandbox.fetch, a 32 MiB file from python3 -m http.server in the sandbox",
  group: "32 MiB out of a sandbox",
  n: 20,
  warmup: 2,
  async fn() {
    const response = await sandbox.fetch(HTTP_PORT, "/file.bin");
    const size = await readAll(response.body!);
    if (size !== TOTAL) throw new Error(`got ${size} bytes`);
  },
});

Deno.bench({
  name: "preview route, 32 MiB from an HTTP server in the sandbox",
  group: "32 MiB out of a sandbox",
  n: 20,
  warmup: 2,
  async fn() {
    const response = await fetch(previewUrl);
    const size = await readAll(response.body!);
    if (size !== TOTAL) throw new Error(`got ${size} bytes`);
  },
});
