// Logs end to end from the local cloud over loopback: 100,000 history entries read through
// `sandbox.logs()`, against the same route read with bare `fetch` + `TextDecoderStream` in the same
// run. Entries per second = 100,000 / seconds per iteration. Run with
// `deno task bench bench/logs_stream_bench.ts`.
import { Microsandbox } from "../mod.ts";
import { startLocalCloud } from "../src/testing/mod.ts";

const ENTRIES = 100_000;
const cloud = await startLocalCloud({ generation: "current" });
const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
const sandbox = await msb.sandboxes.create({ name: "chatty", image: "alpine" });
const text = `${"x".repeat(72)}\n`;
for (let at = 0; at < ENTRIES; at += 10_000) {
  cloud.appendLog(sandbox.name, Array.from({ length: 10_000 }, () => ({ source: "stdout", text })));
}
const first = `${cloud.url}/v1/sandboxes/${sandbox.id}/logs?sources=stdout`;
globalThis.addEventListener("unload", () => cloud.close());

Deno.bench({
  name: "fetch + TextDecoderStream, counting events (baseline)",
  group: `${ENTRIES} log entries`,
  baseline: true,
  n: 5,
  warmup: 1,
  async fn() {
    const controller = new AbortController();
    const response = await fetch(first, {
      headers: { authorization: `Bearer ${cloud.apiKey}` },
      signal: controller.signal,
    });
    // Events end with a blank line; count "\n\n", also when a chunk boundary splits one.
    let events = 0;
    let endsWithNewline = false;
    for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
      if (endsWithNewline && chunk.startsWith("\n")) events++;
      events += chunk.split("\n\n").length - 1;
      endsWithNewline = chunk.endsWith("\n");
      if (events >= ENTRIES) break;
    }
    controller.abort();
  },
});

Deno.bench({
  name: "sandbox.logs()",
  group: `${ENTRIES} log entries`,
  n: 5,
  warmup: 1,
  async fn() {
    const reader = sandbox.logs({ sources: ["stdout"] }).getReader();
    for (let i = 0; i < ENTRIES; i++) {
      const { done } = await reader.read();
      if (done) throw new Error(`ended after ${i} entries`);
    }
    await reader.cancel();
  },
});
