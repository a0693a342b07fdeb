// Exec stdout throughput over loopback against a raw Deno WebSocket in the same run: 32 MiB per
// iteration, read by the client as fast as it can. The bar is exec >= 40% of the raw
// socket. Run with `deno task bench bench/exec_stdout_bench.ts` (MB/s = 33.5 / seconds per iter).
import { Microsandbox } from "../mod.ts";
import { startLocalCloud } from "../src/testing/mod.ts";

const TOTAL = 32 * 1024 * 1024;
const MESSAGE = new Uint8Array(64 * 1024);

const raw = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
  const { socket, response } = Deno.upgradeWebSocket(request);
  socket.onopen = async () => {
    for (let sent = 0; sent < TOTAL; sent += MESSAGE.byteLength) {
      while (socket.bufferedAmount > 8 * 1024 * 1024) await new Promise((r) => setTimeout(r, 1));
      socket.send(MESSAGE);
    }
    socket.close();
  };
  return response;
});

const cloud = await startLocalCloud({ generation: "current" });
const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
const sandbox = await msb.sandboxes.create({ name: "bench", image: "alpine" });
const seedCloud = await startLocalCloud({ generation: "v0.5" });
const seed = await new Microsandbox({ apiKey: seedCloud.apiKey, url: seedCloud.url, wire: "v0.5" })
  .sandboxes.create({ name: "bench", image: "alpine" });
while (seed.status !== "running") await seed.refresh();
globalThis.addEventListener("unload", () => {
  raw.shutdown();
  cloud.close();
  seedCloud.close();
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number> {
  let size = 0;
  for await (const chunk of stream) size += chunk.byteLength;
  return size;
}

Deno.bench({
  name: "raw Deno WebSocket, 32 MiB (baseline)",
  group: "stdout 32 MiB",
  baseline: true,
  n: 20,
  warmup: 2,
  async fn() {
    const socket = new WebSocket(`ws://127.0.0.1:${raw.addr.port}/`);
    socket.binaryType = "arraybuffer";
    let size = 0;
    await new Promise<void>((resolve) => {
      socket.onmessage = (event) => size += (event.data as ArrayBuffer).byteLength;
      socket.onclose = () => resolve();
    });
    if (size !== TOTAL) throw new Error(`got ${size} bytes`);
  },
});

for (const [label, target] of [["current", sandbox], ["v0.5", seed]] as const) {
  Deno.bench({
    name: `exec head -c 32 MiB, ${label} wire`,
    group: "stdout 32 MiB",
    n: 20,
    warmup: 2,
    async fn() {
      const process = await target.spawn("head", ["-c", String(TOTAL), "/dev/zero"]);
      await process.stdin.close();
      await process.stderr.cancel();
      const size = await readAll(process.stdout);
      if (size !== TOTAL) throw new Error(`got ${size} bytes`);
      await process.exited;
    },
  });
}
