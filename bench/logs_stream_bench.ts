// Logs end to end from the local cloud over loopback: 100,000 history entries read through
// `sandbox.logs()`, against the same route read with bare `fetch` + `TextDecoderStream` in the same
// run. Entries per second = 100,000 / seconds per iteration. Run with
// `deno task bench bench/logs_stream_bench.ts`.
//
// The cloud runs in this process, so its work counts too. It writes each entry's event once and
// shares it with every later stream (as a server that stores its log would), so group 1 (the same
// entries read again) times the client on top of a cloud that only copies; group 2 reads entries
// the cloud has never sent, so it also pays the cloud's JSON, date and cursor per entry.
import { Microsandbox, type Sandbox } from "../mod.ts";
import { startLocalCloud } from "../src/testing/mod.ts";

const ENTRIES = 100_000;
const cloud = await startLocalCloud({ generation: "current" });
const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
const text = `${"x".repeat(72)}\n`;
globalThis.addEventListener("unload", () => cloud.close());

/** A new sandbox whose log holds `ENTRIES` stdout entries nobody has read yet. */
async function chattySandbox(): Promise<Sandbox> {
  const sandbox = await msb.sandboxes.create({ name: `chatty-${crypto.randomUUID()}`, image: "a" });
  for (let at = 0; at < ENTRIES; at += 10_000) {
    cloud.appendLog(
      sandbox.name,
      Array.from({ length: 10_000 }, () => ({ source: "stdout" as const, text })),
    );
  }
  return sandbox;
}

/** Reads `ENTRIES` events of the route with bare fetch, counting blank lines. */
async function readWithFetch(sandbox: Sandbox): Promise<void> {
  const controller = new AbortController();
  const response = await fetch(`${cloud.url}/v1/sandboxes/${sandbox.id}/logs?sources=stdout`, {
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
}

/** Reads `ENTRIES` entries through `sandbox.logs()`. */
async function readWithLogs(sandbox: Sandbox): Promise<void> {
  const reader = sandbox.logs({ sources: ["stdout"] }).getReader();
  for (let i = 0; i < ENTRIES; i++) {
    const { done } = await reader.read();
    if (done) throw new Error(`ended after ${i} entries`);
  }
  await reader.cancel();
}

const warm = await chattySandbox();
const group1 = `1. ${ENTRIES} log entries read again`;
Deno.bench({
  name: "fetch + TextDecoderStream, counting events (baseline)",
  group: group1,
  baseline: true,
  n: 5,
  warmup: 1,
  async fn() {
    await readWithFetch(warm);
  },
});
Deno.bench({
  name: "sandbox.logs()",
  group: group1,
  n: 5,
  warmup: 1,
  async fn() {
    await readWithLogs(warm);
  },
});

const group2 = `2. ${ENTRIES} log entries never sent before`;
for (
  const [name, read] of [["(baseline) fetch", readWithFetch], [
    "sandbox.logs()",
    readWithLogs,
  ]] as const
) {
  Deno.bench({
    name: `${name}, first read`,
    group: group2,
    baseline: read === readWithFetch,
    n: 10,
    warmup: 1,
    async fn(b) {
      const sandbox = await chattySandbox();
      b.start();
      await read(sandbox);
      b.end();
      await sandbox.remove();
    },
  });
}
