// A large file through a volume: streamed up from a ReadableStream and streamed back down,
// compared by SHA-256, with the process's memory growth bounded (the local cloud runs in this
// process too, so its side is measured as well). 64 MiB by default; MSB_TEST_VOLUME_MIB sets
// the size (256 for the figure).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { setup } from "../_cloud.ts";

const MIB = 1024 * 1024;
const SIZE_MIB = Number(Deno.env.get("MSB_TEST_VOLUME_MIB") ?? 64);
const CHUNK = 64 * 1024;
const MAX_GROWTH = 64 * MIB;

/** Pseudo-random chunks of `total` bytes, hashed as they are made. */
function source(total: number, hash: ReturnType<typeof createHash>): ReadableStream<Uint8Array> {
  let made = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (made >= total) return controller.close();
      const chunk = crypto.getRandomValues(new Uint8Array(Math.min(CHUNK, total - made)));
      made += chunk.byteLength;
      hash.update(chunk);
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}

/** The JS heap in use now. */
function held(): number {
  return Deno.memoryUsage().heapUsed;
}

/** The JS heap and the ArrayBuffers outside it (garbage ones too, until they are collected). */
function heldWithBuffers(): number {
  const { heapUsed, external } = Deno.memoryUsage();
  return heapUsed + external;
}

Deno.test(`A ${SIZE_MIB} MiB file streams into a volume and back, byte-identical, in bounded memory`, async () => {
  await using env = await setup("current");
  const volume = await env.msb.volumes.create({ name: "large" });
  const total = SIZE_MIB * MIB;
  const baseline = held();
  const baselineWithBuffers = heldWithBuffers();
  const baselineRss = Deno.memoryUsage().rss;
  let peak = baseline;
  let peakWithBuffers = baselineWithBuffers;
  let peakRss = baselineRss;
  const sample = () => {
    peak = Math.max(peak, held());
    peakWithBuffers = Math.max(peakWithBuffers, heldWithBuffers());
    peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
  };

  const sent = createHash("sha256");
  const upload = source(total, sent).pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        sample();
        controller.enqueue(chunk);
      },
    }),
  );
  await volume.fs.writeFile("/large.bin", upload);
  assert.equal((await volume.fs.stat("/large.bin")).size, total);

  const received = createHash("sha256");
  let bytes = 0;
  for await (const chunk of volume.fs.readFile("/large.bin")) {
    received.update(chunk);
    bytes += chunk.byteLength;
    sample();
  }
  assert.equal(bytes, total);
  assert.equal(received.digest("hex"), sent.digest("hex"));
  const growth = peak - baseline;
  const withBuffers = peakWithBuffers - baselineWithBuffers;
  console.log(
    `${SIZE_MIB} MiB round trip: peak heapUsed growth ${(growth / MIB).toFixed(1)} MiB, ` +
      `with ArrayBuffers ${(withBuffers / MIB).toFixed(1)} MiB, ` +
      `RSS ${((peakRss - baselineRss) / MIB).toFixed(1)} MiB (the local cloud's too)`,
  );
  assert.ok(growth < MAX_GROWTH, `memory grew by ${(growth / MIB).toFixed(1)} MiB`);
});
