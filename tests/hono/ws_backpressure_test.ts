// The WebSocket bridge under a browser that stops reading: the adapter runs as a child `deno run`
// (its resident memory is its own, read from /proc), the local cloud in this process. A command
// prints as fast as it can while the client reads nothing for 10 s; the server must not keep what
// the client does not take, and the client must get all of it once it reads again.

import assert from "node:assert/strict";
import { setup } from "../_cloud.ts";
import { startServer } from "../runtimes/_server.ts";
import { processGone, running } from "./_app.ts";

const MIB = 1024 * 1024;
/** The most the server may grow while its client reads nothing. */
const MAX_GROWTH = 64 * MIB;
/** How long the client reads nothing. */
const STALL_MS = 10_000;
/** How often the server's memory is read meanwhile. */
const SAMPLE_MS = 100;

const REPO = new URL("../../", import.meta.url).pathname;

/** The resident memory of a process, in bytes. */
function residentBytes(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Checks, as its bytes come, that the output is `1\n2\n3\n…` with nothing lost or repeated. */
class Count {
  next = 1;
  bytes = 0;
  #tail = "";
  readonly #decoder = new TextDecoder();

  feed(bytes: Uint8Array): void {
    this.bytes += bytes.byteLength;
    const lines = (this.#tail + this.#decoder.decode(bytes, { stream: true })).split("\n");
    this.#tail = lines.pop()!;
    for (const line of lines) {
      if (line !== String(this.next)) {
        throw new Error(`line ${this.next} of the output is ${JSON.stringify(line.slice(0, 20))}`);
      }
      this.next++;
    }
  }
}

/** Reads messages, stdout into `count`, until `count` holds `bytes` bytes. */
async function readUntil(
  reader: ReadableStreamDefaultReader<string | Uint8Array>,
  count: Count,
  bytes: number,
): Promise<void> {
  while (count.bytes < bytes) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the socket ended after ${count.bytes} bytes of output`);
    if (typeof value === "string") {
      assert.notEqual(JSON.parse(value).type, "error", value);
      continue;
    }
    assert.equal(value[0], 1, "output comes on stdout");
    count.feed(value.subarray(1));
  }
}

/** The most the server grew over `ms`, read every {@linkcode SAMPLE_MS}; stops past the bound. */
async function growthOver(pid: number, ms: number): Promise<number> {
  const before = residentBytes(pid);
  let grown = 0;
  for (let waited = 0; waited < ms && grown < MAX_GROWTH; waited += SAMPLE_MS) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    grown = Math.max(grown, residentBytes(pid) - before);
  }
  return grown;
}

Deno.test("ws bridge: a client that reads nothing for 10 s grows the server by less than 64 MiB, then gets every byte", async () => {
  await using env = await setup("current");
  await running(env, "flood");
  await using server = await startServer({
    label: "adapter server",
    command: Deno.execPath(),
    args: ["run", "--unstable-net", "-A", "tests/hono/_ws_server_main.ts"],
    env: { ...Deno.env.toObject(), MSB_API_URL: env.cloud.url, MSB_API_KEY: env.cloud.apiKey },
    cwd: REPO,
    listening: /listening (http:\/\/127\.0\.0\.1:\d+)/,
  });
  const url = `${server.origin.replace("http", "ws")}/flood/ws?cmd=seq&arg=1&arg=1000000000`;
  const socket = new WebSocketStream(url);
  try {
    const reader = (await socket.opened).readable.getReader();
    const count = new Count();
    await readUntil(reader, count, MIB);

    const grown = await growthOver(server.pid, STALL_MS);
    assert.ok(grown < MAX_GROWTH, `the server grew by ${(grown / MIB).toFixed(1)} MiB`);

    const resumedAt = count.bytes;
    await readUntil(reader, count, resumedAt + 16 * MIB);
  } finally {
    socket.close();
  }
  await processGone(env, "seq");
});
