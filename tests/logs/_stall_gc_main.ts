// A log stream whose server stalls, read while the garbage collector runs every 50 ms (run with
// --v8-flags=--expose-gc): prints how the stalled read ended, or that it had not ended after
// 30 s. Without a live reference to the fetch's Response, Deno never aborts the stalled read.

import { Microsandbox } from "../../mod.ts";
import { startLocalCloud } from "../../src/testing/mod.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");
await using cloud = await startLocalCloud({ bootDelayMs: 0 });
const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
const sandbox = await msb.sandboxes.create({ name: "stalled", image: "alpine" });
cloud.appendLog("stalled", [{ source: "stdout", text: "a\n" }]);
cloud.faults.logFault("stall");
const collecting = setInterval(gc, 50);
const reader = sandbox.logs({ sources: ["stdout"], stallTimeout: 300, reconnect: false })
  .getReader();
await reader.read();
let timer: ReturnType<typeof setTimeout> | undefined;
const verdict = await Promise.race([
  reader.read().then(
    (result) => `read ${JSON.stringify(result.value?.text() ?? null)}`,
    (error) => `rejected ${(error as Error).name}`,
  ),
  new Promise<string>((resolve) => timer = setTimeout(() => resolve("still waiting"), 30_000)),
]);
clearTimeout(timer);
clearInterval(collecting);
console.log(verdict);
