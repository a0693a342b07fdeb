// The log history behind the logs route: bounds, filters, subscriptions, lifecycle
// entries from the store, and exec output recorded per session.
import assert from "node:assert/strict";
import { serveAgent } from "../../src/testing/exec/_agent_relay.ts";
import { ExecHost } from "../../src/testing/exec/_exec_host.ts";
import { FsHost } from "../../src/testing/fs/_fs_host.ts";
import { type LogEntry, LogHistory } from "../../src/testing/logs/_exec_log_history.ts";
import { probeHost } from "../../src/testing/exec/_isolation.ts";
import { SandboxStore } from "../../src/testing/rest/_store.ts";
import { execRequest } from "./_exec_client.ts";
import { ExecClient } from "./_exec_client.ts";
import type { LocalCloud } from "../../src/testing/mod.ts";

const text = (entry: LogEntry): string => new TextDecoder().decode(entry.data);

Deno.test("LogHistory keeps entries in order with sequence numbers and timestamps", () => {
  const logs = new LogHistory();
  const before = Date.now();
  logs.output("a", "stdout", 1000, new TextEncoder().encode("one"));
  logs.system("b", "sandbox b running");
  logs.output("a", "stderr", 1001, new TextEncoder().encode("two"));
  assert.equal(logs.size, 3);
  assert.deepEqual(logs.entries().map((e) => e.seq), [1, 2, 3]);
  assert.deepEqual(logs.entries("a").map(text), ["one", "two"]);
  assert.deepEqual(logs.entries("a", 1).map(text), ["two"]);
  const [first, second] = logs.entries();
  assert.equal(first?.sessionId, 1000);
  assert.equal(first?.source, "stdout");
  assert.equal(second?.sessionId, null);
  assert.equal(second?.source, "system");
  assert.ok(first!.timestamp >= before && first!.timestamp <= Date.now());
});

Deno.test("LogHistory copies the bytes it records", () => {
  const logs = new LogHistory();
  const data = new TextEncoder().encode("abc");
  logs.output("a", "stdout", 1, data);
  data[0] = 0x7a;
  assert.equal(text(logs.entries()[0]!), "abc");
});

Deno.test("LogHistory drops the oldest entries beyond its bounds", () => {
  const byCount = new LogHistory({ maxEntries: 100 });
  for (let i = 0; i < 5000; i++) byCount.system("a", `line ${i}`);
  assert.equal(byCount.size, 100);
  assert.equal(text(byCount.entries()[0]!), "line 4900");
  assert.equal(byCount.entries().at(-1)?.seq, 5000);
  const byBytes = new LogHistory({ maxBytes: 10 });
  for (let i = 0; i < 5; i++) byBytes.output("a", "stdout", 1, new Uint8Array(4));
  assert.equal(byBytes.size, 2);
  assert.equal(new LogHistory().entries().length, 0);
});

Deno.test("LogHistory subscriptions see new entries until they unsubscribe", () => {
  const logs = new LogHistory();
  const seen: string[] = [];
  const stop = logs.subscribe((entry) => seen.push(`${entry.sandboxId}:${text(entry)}`));
  let calls = 0;
  logs.subscribe(() => {
    calls++;
    throw new Error("a broken listener is dropped, not fatal");
  });
  logs.system("a", "x");
  logs.system("b", "y");
  stop();
  logs.system("a", "z");
  assert.deepEqual(seen, ["a:x", "b:y"]);
  assert.equal(calls, 1);
});

Deno.test("LogHistory holds writers back instead of dropping what a live follower was not sent", async () => {
  const logs = new LogHistory({ maxEntries: 3 });
  const bytes = new Uint8Array([1]);
  let sent = 0;
  const unfollow = logs.follow(() => sent);
  for (let i = 0; i < 3; i++) {
    await logs.room(1);
    logs.output("sb", "stdout", 1, bytes);
  }
  let writing = logs.room(1).then(() => "room");
  const pending = () =>
    Promise.race([writing, new Promise((r) => setTimeout(() => r("waiting"), 20))]);
  assert.equal(await pending(), "waiting", "a fourth entry would push out seq 1, not sent yet");
  sent = 1;
  logs.progressed();
  assert.equal(await writing, "room");
  logs.output("sb", "stdout", 1, bytes);
  writing = logs.room(1).then(() => "room");
  assert.equal(await pending(), "waiting");
  unfollow();
  assert.equal(await writing, "room", "without followers the oldest entries go");
});

Deno.test("LogHistory.forget drops one sandbox's entries", () => {
  const logs = new LogHistory();
  logs.system("a", "1");
  logs.system("b", "2");
  logs.system("a", "3");
  logs.forget("a");
  assert.deepEqual(logs.entries().map(text), ["2"]);
});

Deno.test("the store records lifecycle changes as system entries and tells watchers", () => {
  const store = new SandboxStore({ bootDelayMs: 0, stopDelayMs: 0, takeBootPlan: () => undefined });
  const changes: string[] = [];
  store.watch((record, change) => changes.push(`${record.name}:${change}`));
  const record = store.create({ name: "box", labels: {}, ephemeral: false, spec: {} });
  store.start(record);
  store.stop(record);
  assert.deepEqual(store.logs.entries(record.id).map(text), [
    "sandbox box created",
    "sandbox box starting",
    "sandbox box running",
    "sandbox box stopping",
    "sandbox box stopped",
  ]);
  store.remove(record);
  assert.deepEqual(changes, [
    "box:created",
    "box:starting",
    "box:running",
    "box:stopping",
    "box:stopped",
    "box:deleted",
  ]);
  assert.equal(store.logs.size, 0);
  store.close();
});

Deno.test("exec output lands in the history per session (output under a terminal)", async () => {
  const logs = new LogHistory();
  const exec = new ExecHost(await probeHost());
  const fs = new FsHost(exec.dirs);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const { socket, response } = Deno.upgradeWebSocket(req);
    const ready = { bootTimeNs: 1, initTimeNs: 2, readyTimeNs: 3 };
    const takeTcpFault = () => undefined;
    serveAgent(socket, {
      exec,
      logs,
      fs,
      sandboxId: "sb",
      idRange: [1000, 2000],
      ready,
      takeTcpFault,
    });
    return response;
  });
  const cloud = {
    url: `http://127.0.0.1:${server.addr.port}`,
    apiKey: "unused",
    generation: "current",
  } as LocalCloud;
  const client = await ExecClient.connect(cloud, "sb");
  try {
    await client.next(0);
    await client.run(1000, execRequest("sh", ["-c", "echo out; echo err >&2"]));
    await client.run(1001, execRequest("echo", ["tty"], { tty: true }));
    // A terminal may hand its output over in more than one piece: join them per session and source.
    const joined = new Map<string, string>();
    for (const e of logs.entries("sb")) {
      const key = `${e.sessionId} ${e.source}`;
      joined.set(key, (joined.get(key) ?? "") + text(e));
    }
    assert.deepEqual(Object.fromEntries(joined), {
      "1000 stdout": "out\n",
      "1000 stderr": "err\n",
      "1001 output": "tty\r\n",
    });
  } finally {
    await client.close();
    await exec.close();
    await server.shutdown();
  }
});
