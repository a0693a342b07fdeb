// Downloads a file through the adapter's `GET /:name/files/*` and prints its size, its SHA-256
// and the peak growth of what this process retained (V8 heap and ArrayBuffers after a full GC,
// sampled every 8 MiB); run by files_large_test.ts with `--v8-flags=--expose-gc`. Args: the
// file's URL, the bearer token.
import { createHash } from "node:crypto";
import { RetainedPeak } from "./_retained.ts";

const [url, authorization] = Deno.args;
const SAMPLE_EVERY = 8 * 1024 * 1024;
const response = await fetch(url!, { headers: { authorization: authorization! } });
if (response.status !== 200) throw new Error(`GET answered ${response.status}`);
const peak = new RetainedPeak();
const hash = createHash("sha256");
let total = 0;
let counted = 0;
for await (const chunk of response.body!) {
  hash.update(chunk);
  total += chunk.byteLength;
  counted += chunk.byteLength;
  if (counted < SAMPLE_EVERY) continue;
  counted = 0;
  peak.sample();
}
console.log(`${total} ${hash.digest("hex")} ${peak.growthMib()}`);
