import assert from "node:assert/strict";
import {
  InvalidCursorError,
  type LogEntry,
  ProtocolError,
  type Sandbox,
  StreamStalledError,
  UnsupportedError,
} from "../../mod.ts";
import { GENERATIONS, type Setup, setup } from "../_cloud.ts";
import { liveLogStreams } from "../../src/testing/logs/_logs_stream.ts";

async function sandboxOf(env: Setup, name = "logs"): Promise<Sandbox> {
  const sandbox = await env.msb.sandboxes.create({ name, image: "alpine" });
  while (sandbox.status !== "running") await sandbox.refresh();
  return sandbox;
}

/** The requests of the log route (not the sandbox named "logs"). */
function logRequests(env: Setup) {
  return env.cloud.requests.filter((r) => /^\/v1\/sandboxes\/[0-9a-f-]{36}\/logs/.test(r.url));
}

function lines(count: number, from = 0) {
  return Array.from(
    { length: count },
    (_, i) => ({ source: "stdout" as const, text: `line ${from + i}\n` }),
  );
}

/** Reads `count` entries, then cancels the stream. */
async function take(stream: ReadableStream<LogEntry>, count: number): Promise<LogEntry[]> {
  const reader = stream.getReader();
  const out: LogEntry[] = [];
  while (out.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    out.push(value);
  }
  await reader.cancel();
  return out;
}

for (const wire of GENERATIONS) {
  Deno.test(`Sandbox.logs follows history and live entries, then ends when the sandbox stops (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await sandboxOf(env);
    env.cloud.appendLog(sandbox.name, lines(3));
    const stream = sandbox.logs({ sources: ["stdout"] });
    const reader = stream.getReader();
    const first = await reader.read();
    assert.equal(first.value?.text(), "line 0\n");
    env.cloud.appendLog(sandbox.name, lines(2, 3));
    const texts = [first.value!.text()];
    for (let i = 0; i < 4; i++) texts.push((await reader.read()).value!.text());
    assert.deepEqual(texts, [0, 1, 2, 3, 4].map((i) => `line ${i}\n`));
    await sandbox.stop();
    assert.equal((await reader.read()).done, true);
  });

  Deno.test(`Sandbox.logs resumes after a cursor (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await sandboxOf(env);
    env.cloud.appendLog(sandbox.name, lines(10));
    const [, second] = await take(sandbox.logs({ sources: ["stdout"] }), 2);
    const rest = await take(sandbox.logs({ sources: ["stdout"], cursor: second!.cursor }), 8);
    assert.deepEqual(rest.map((e) => e.text()), lines(8, 2).map((l) => l.text));
    const upgrade = logRequests(env).at(-1);
    assert.equal(upgrade?.headers["last-event-id"], second!.cursor.toString());
  });

  Deno.test(`Sandbox.logs loses and repeats nothing across 100 cut connections (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await sandboxOf(env);
    env.cloud.appendLog(sandbox.name, lines(10_000));
    env.cloud.faults.logFault("cutAfter", { events: 97, requests: 100 });
    const got = await take(sandbox.logs({ sources: ["stdout"] }), 10_000);
    assert.equal(got.length, 10_000);
    got.forEach((entry, i) => assert.equal(entry.text(), `line ${i}\n`));
    const opened = logRequests(env).length;
    assert.ok(opened >= 101, `only ${opened} log requests`);
  });

  Deno.test(`Sandbox.logs skips unknown events and sources, survives garbage, and fails on bad JSON (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await sandboxOf(env);
    env.cloud.appendLog(sandbox.name, lines(3));
    for (const kind of ["garbage", "unknownEvent", "unknownSource"] as const) {
      env.cloud.faults.logFault(kind);
      const got = await take(sandbox.logs({ sources: ["stdout"] }), 3);
      assert.deepEqual(got.map((e) => e.text()), lines(3).map((l) => l.text), kind);
    }
    env.cloud.faults.logFault("invalidJson");
    await assert.rejects(take(sandbox.logs({ sources: ["stdout"] }), 4), ProtocolError);
  });

  Deno.test(`Sandbox.logs ends a stalled stream with StreamStalledError (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await sandboxOf(env);
    env.cloud.appendLog(sandbox.name, lines(1));
    env.cloud.faults.logFault("stall");
    await assert.rejects(
      take(sandbox.logs({ sources: ["stdout"], stallTimeout: 300 }), 2),
      StreamStalledError,
    );
  });

  Deno.test(`Sandbox.logs refuses follow: false and bad input before any request (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await sandboxOf(env);
    assert.throws(() => sandbox.logs({ follow: false }), UnsupportedError);
    assert.throws(() => sandbox.logs({ cursor: "not a cursor!" }), InvalidCursorError);
    assert.equal(logRequests(env).length, 0);
  });
}

Deno.test("Sandbox.logs sends the effective sources on the current wire and refuses output on v0.5", async () => {
  await using current = await setup("current");
  const sandbox = await sandboxOf(current);
  current.cloud.appendLog(sandbox.name, lines(1));
  await take(sandbox.logs(), 1);
  assert.match(
    logRequests(current)[0]!.url,
    /sources=stdout,stderr,output$/,
  );
  await using seed = await setup("v0.5");
  const old = await sandboxOf(seed);
  assert.throws(() => old.logs({ sources: ["output"] }), UnsupportedError);
});

Deno.test("Cancelling Sandbox.logs closes the upstream request", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxOf(env);
  env.cloud.appendLog(sandbox.name, lines(5));
  await take(sandbox.logs(), 1);
  for (let i = 0; i < 100 && liveLogStreams() > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(liveLogStreams(), 0);
});
