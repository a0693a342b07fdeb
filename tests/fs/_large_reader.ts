// Reads a guest file through sandbox.fs and prints its size, SHA-256, the peak V8 heap growth and
// the peak RSS growth (memory outside V8 too: socket buffers, ArrayBuffers, the allocator's
// pages), in MiB; run with a capped heap by large_file_test.ts. Args: url, key, sandbox name, path.
import { createHash } from "node:crypto";
import { Microsandbox } from "../../mod.ts";

const [url, apiKey, name, path] = Deno.args;
const msb = new Microsandbox({ apiKey: apiKey!, url: url! });
const sandbox = await msb.sandboxes.get(name!);
const hash = createHash("sha256");
const before = Deno.memoryUsage();
let peakHeap = before.heapUsed;
let peakRss = before.rss;
let total = 0;
for await (const chunk of sandbox.fs.readFile(path!)) {
  hash.update(chunk);
  total += chunk.byteLength;
  const now = Deno.memoryUsage();
  peakHeap = Math.max(peakHeap, now.heapUsed);
  peakRss = Math.max(peakRss, now.rss);
}
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
console.log(
  `${total} ${hash.digest("hex")} ${mib(peakHeap - before.heapUsed)} ${mib(peakRss - before.rss)}`,
);
