// Throughput of sandbox.connect and sandbox.fetch against exec stdout in the same run, over
// loopback to the local cloud: 32 MiB per iteration from a Python server in the sandbox (the
// tests' `sourceServer`), 32 MiB of a file `python3 -m http.server` serves, read through
// sandbox.fetch, against 32 MiB of `head -c` stdout, each read as fast as the client can. Run with
// `deno task bench bench/tcp_bench.ts` (MB/s = 33.5 / seconds per iteration).
import { Microsandbox } from "../mod.ts";
import { startLocalCloud } from "../src/testing/mod.ts";
import { startHttpServer } from "../tests/tcp/_http_servers.ts";
import { sourceServer, startServer } from "../tests/tcp/_servers.ts";

const TOTAL = 32 * 1024 * 1024;
const PORT = 7200;
const HTTP_PORT = 7201;
const SITE = "/srv";

const cloud = await startLocalCloud({ generation: "current" });
const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
const sandbox = await msb.sandboxes.create({ name: "bench", image: "python" });
const server = await startServer(sandbox, sourceServer(PORT, TOTAL));
await sandbox.fs.mkdir(SITE);
await sandbox.exec("sh", ["-c", `head -c ${TOTAL} /dev/zero > file.bin`], { cwd: SITE });
const site = await startHttpServer(sandbox, SITE, HTTP_PORT);
globalThis.addEventListener("unload", () => {
  server.kill().catch(() => {});
  site.kill().catch(() => {});
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
