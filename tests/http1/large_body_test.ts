// 64 MiB each way through fetchHttp1 and a real Deno.serve server, byte-identical (SHA-256 on
// both sides), with the peak V8 heap growth of the process logged and bounded: the body is
// streamed with backpressure, never gathered.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { fetchHttp1 } from "../../src/http1/mod.ts";
import { connectTo, httpServer } from "./_servers.ts";

const TOTAL = 64 * 1024 * 1024;
const BLOCK = 64 * 1024;
const MIB = 1024 * 1024;

/** 64 MiB of blocks that differ from each other, made as the reader pulls. */
function largeBody(): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      if (index * BLOCK >= TOTAL) return controller.close();
      const block = new Uint8Array(BLOCK).fill(index & 255);
      new DataView(block.buffer).setUint32(0, index++);
      controller.enqueue(block);
    },
  }, { highWaterMark: 0 });
}

/** The SHA-256 of `largeBody()`. */
async function expectedHash(): Promise<string> {
  const hash = createHash("sha256");
  for await (const block of largeBody()) hash.update(block);
  return hash.digest("hex");
}

/** What reading a body took: its size and SHA-256, the peak growth of heap and RSS in MiB. */
interface Digest {
  size: number;
  hash: string;
  heapMib: number;
  rssMib: number;
}

/**
 * The digest of `body`, memory growth counted from `before` (taken before the exchange, so that
 * an exchange that gathered the body before handing it out shows too). RSS sees what the V8
 * heap figure cannot: the chunks' ArrayBuffers live outside the heap.
 */
async function digest(body: ReadableStream<Uint8Array>, before: Deno.MemoryUsage): Promise<Digest> {
  const hash = createHash("sha256");
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  let size = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    size += chunk.length;
    const now = Deno.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  }
  return {
    size,
    hash: hash.digest("hex"),
    heapMib: (peakHeap - before.heapUsed) / MIB,
    rssMib: (peakRss - before.rss) / MIB,
  };
}

/**
 * Logs the figures of `what` and checks the bounds: heap growth under 64 MiB, RSS growth under
 * 32 MiB (a streaming exchange takes about 5 MiB; one that let the body pile up in its stream's
 * queue took 42 MiB here, and the rest of the 64 MiB only because the allocator reuses pages).
 */
function check(what: string, got: Digest, expected: string): void {
  console.log(
    `${what} 64 MiB: peak heap growth ${got.heapMib.toFixed(1)} MiB, ` +
      `peak RSS growth ${got.rssMib.toFixed(1)} MiB`,
  );
  assert.deepEqual([got.size, got.hash], [TOTAL, expected]);
  assert.ok(got.heapMib < 64, `heap grew ${got.heapMib} MiB`);
  assert.ok(got.rssMib < 32, `RSS grew ${got.rssMib} MiB`);
}

Deno.test("fetchHttp1 downloads 64 MiB byte-identical with bounded heap and RSS growth", async () => {
  const expected = await expectedHash();
  await using server = httpServer(() => new Response(largeBody()));
  const socket = await connectTo(server.port);
  const before = Deno.memoryUsage();
  const response = await fetchHttp1(socket, new Request(`http://127.0.0.1:${server.port}/big`));
  assert.equal(response.headers.get("transfer-encoding"), "chunked");
  check("download", await digest(response.body!, before), expected);
});

Deno.test("fetchHttp1 uploads 64 MiB chunked, byte-identical, with bounded heap and RSS growth", async () => {
  const expected = await expectedHash();
  let received: Digest | undefined;
  const before = Deno.memoryUsage();
  await using server = httpServer(async (request) => {
    received = await digest(request.body!, before);
    return Response.json({ chunked: request.headers.get("transfer-encoding") === "chunked" });
  });
  const socket = await connectTo(server.port);
  const request = new Request(`http://127.0.0.1:${server.port}/up`, {
    method: "PUT",
    body: largeBody(),
  });
  const response = await fetchHttp1(socket, request);
  assert.deepEqual(await response.json(), { chunked: true });
  check("upload", received!, expected);
});
