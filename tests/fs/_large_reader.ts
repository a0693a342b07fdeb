// Reads a guest file through sandbox.fs and prints its size, SHA-256 and the peak V8 heap growth;
// run with a capped heap by large_file_test.ts. Args: url, key, sandbox name, path.
import { createHash } from "node:crypto";
import { Microsandbox } from "../../mod.ts";

const [url, apiKey, name, path] = Deno.args;
const msb = new Microsandbox({ apiKey: apiKey!, url: url! });
const sandbox = await msb.sandboxes.get(name!);
const hash = createHash("sha256");
const before = Deno.memoryUsage().heapUsed;
let peak = before;
let total = 0;
for await (const chunk of sandbox.fs.readFile(path!)) {
  hash.update(chunk);
  total += chunk.byteLength;
  peak = Math.max(peak, Deno.memoryUsage().heapUsed);
}
console.log(`${total} ${hash.digest("hex")} ${((peak - before) / 1024 / 1024).toFixed(1)}`);
