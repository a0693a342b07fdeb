// The log stream route, GET /v1/sandboxes/{id}/logs, read with plain fetch and the library's
// SseDecoderStream: history and live entries, sources, resume, end, errors, heartbeats,
// coalescing, cancellation and the log faults.
import assert from "node:assert/strict";
import { LogCursor } from "../../src/logs/log_cursor.ts";
import { SseDecoderStream, type SseEvent } from "../../src/sse/mod.ts";
import { liveLogStreams } from "../../src/testing/logs/_logs_stream.ts";
import {
  type LocalCloud,
  type LocalCloudLogOptions,
  type LocalCloudOptions,
  startLocalCloud,
} from "../../src/testing/mod.ts";
import { assertError, call, create } from "./_client.ts";

/** An open log stream: its events, the comments seen, and the number of body reads. */
interface Stream {
  res: Response;
  reader: ReadableStreamDefaultReader<SseEvent>;
  comments: string[];
  chunks: { count: number };
}

async function openLogs(
  cloud: LocalCloud,
  id: string,
  query = "",
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Stream> {
  const res = await fetch(`${cloud.url}/v1/sandboxes/${id}/logs${query}`, {
    headers: { authorization: `Bearer ${cloud.apiKey}`, accept: "text/event-stream", ...headers },
    ...(signal ? { signal } : {}),
  });
  assert.equal(res.status, 200, res.status === 200 ? "" : await res.text());
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  assert.equal(res.headers.get("cache-control"), "no-cache");
  const chunks = { count: 0 };
  const comments: string[] = [];
  const counted = res.body!.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        chunks.count++;
        controller.enqueue(chunk);
      },
    }),
  );
  const reader = counted.pipeThrough(
    new SseDecoderStream({ dispatchEmpty: true, onComment: (text) => comments.push(text) }),
  ).getReader();
  return { res, reader, comments, chunks };
}

async function next(stream: Stream): Promise<SseEvent> {
  const { value, done } = await stream.reader.read();
  assert.ok(!done, "the stream ended early");
  return value;
}

/** Reads `n` log events (skipping nothing else: any other event fails). */
// deno-lint-ignore no-explicit-any -- tests read arbitrary JSON fields.
async function logs(stream: Stream, n: number): Promise<{ id: string; entry: any }[]> {
  const result = [];
  for (let i = 0; i < n; i++) {
    const event = await next(stream);
    assert.equal(event.event, "log", event.data);
    result.push({ id: event.id!, entry: JSON.parse(event.data) });
  }
  return result;
}

async function running(
  options: LocalCloudOptions & LocalCloudLogOptions = {},
): Promise<LocalCloud> {
  return await startLocalCloud({ bootDelayMs: 0, stopDelayMs: 0, ...options });
}

async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), "the condition never held");
}

const OUT = "?sources=stdout,stderr,output";

Deno.test("logs: history first, then live entries, with cursors and timestamps", async () => {
  await using cloud = await running();
  const { id } = await create(cloud, "box", "?start=true");
  cloud.appendLog("box", [
    { source: "stdout", text: "one\n", sessionId: 7 },
    { source: "stderr", text: "two\n" },
  ]);
  const stream = await openLogs(cloud, id, OUT);
  const history = await logs(stream, 2);
  assert.deepEqual(history.map((e) => [e.entry.source, e.entry.text]), [
    ["stdout", "one\n"],
    ["stderr", "two\n"],
  ]);
  assert.equal(history[0]!.entry.session_id, 7);
  assert.equal("session_id" in history[1]!.entry, false);
  assert.ok(!Number.isNaN(Date.parse(history[0]!.entry.ts)));
  const [first, second] = history.map((e) => LogCursor.parse(e.id).positions);
  assert.equal(first!.length, 1);
  assert.ok(second![0]!.offset > first![0]!.offset);
  cloud.appendLog("box", [{ source: "output", text: "live\n" }]);
  const [live] = await logs(stream, 1);
  assert.deepEqual([live!.entry.source, live!.entry.text], ["output", "live\n"]);
  await stream.reader.cancel();
  await waitUntil(() => liveLogStreams() === 0);
});

Deno.test("logs: sources filter, and all four sources (lifecycle included) by default", async () => {
  await using cloud = await running({ generation: "v0.5" });
  const { id } = await create(cloud, "box", "?start=true");
  cloud.appendLog("box", [
    { source: "stdout", text: "o" },
    { source: "stderr", text: "e" },
    { source: "output", text: "p" },
    { source: "system", text: "s" },
  ]);
  const some = await openLogs(cloud, id, "?sources=stderr,system");
  const got = await logs(some, 4);
  assert.deepEqual(got.map((e) => `${e.entry.source}:${e.entry.text}`), [
    "system:sandbox box created",
    "system:sandbox box starting",
    "system:sandbox box running",
    "stderr:e",
  ]);
  assert.deepEqual((await logs(some, 1)).map((e) => e.entry.text), ["s"]);
  await some.reader.cancel();
  const all = await openLogs(cloud, id);
  const texts = (await logs(all, 7)).map((e) => e.entry.text);
  assert.deepEqual(texts.slice(3), ["o", "e", "p", "s"]);
  await all.reader.cancel();
});

Deno.test("logs: Last-Event-ID (or cursor) resumes strictly after that entry", async () => {
  await using cloud = await running();
  const { id } = await create(cloud, "box", "?start=true");
  cloud.appendLog("box", ["a", "b", "c", "d"].map((text) => ({ source: "stdout", text })));
  const full = await openLogs(cloud, id, "?sources=stdout");
  const entries = await logs(full, 4);
  await full.reader.cancel();
  const resumed = await openLogs(cloud, id, "?sources=stdout", { "last-event-id": entries[1]!.id });
  const later = await logs(resumed, 2);
  assert.deepEqual(later.map((e) => e.entry.text), ["c", "d"]);
  assert.deepEqual(later.map((e) => e.id), entries.slice(2).map((e) => e.id));
  cloud.appendLog("box", [{ source: "stdout", text: "e" }]);
  assert.deepEqual((await logs(resumed, 1)).map((e) => e.entry.text), ["e"]);
  await resumed.reader.cancel();
  const byQuery = await openLogs(
    cloud,
    id,
    `?sources=stdout&cursor=${encodeURIComponent(entries[2]!.id)}`,
  );
  assert.deepEqual((await logs(byQuery, 2)).map((e) => e.entry.text), ["d", "e"]);
  await byQuery.reader.cancel();
  const fromEmpty = await openLogs(cloud, id, "?sources=stdout", { "last-event-id": "AA==" });
  assert.deepEqual((await logs(fromEmpty, 1)).map((e) => e.entry.text), ["a"]);
  await fromEmpty.reader.cancel();
});

Deno.test("logs: event end when the sandbox stops or is deleted, then the body closes", async () => {
  await using cloud = await running();
  const { id } = await create(cloud, "box", "?start=true");
  const stream = await openLogs(cloud, id, "?sources=system");
  assert.equal((await logs(stream, 3))[2]!.entry.text, "sandbox box running");
  await call(cloud, "POST", `/v1/sandboxes/${id}/stop`).then((r) => assert.equal(r.status, 200));
  const tail = await logs(stream, 2);
  assert.deepEqual(tail.map((e) => e.entry.text), ["sandbox box stopping", "sandbox box stopped"]);
  const end = await next(stream);
  assert.deepEqual([end.event, end.data], ["end", "{}"]);
  assert.equal((await stream.reader.read()).done, true);
  // A stopped sandbox: its history, then end at once.
  const again = await openLogs(cloud, id, "?sources=system");
  assert.equal((await logs(again, 5)).length, 5);
  assert.equal((await next(again)).event, "end");
  assert.equal((await again.reader.read()).done, true);
  // Deletion ends a follower of a running sandbox.
  const other = await create(cloud, "other", "?start=true");
  const follower = await openLogs(cloud, other.id, OUT);
  await call(cloud, "DELETE", `/v1/sandboxes/${other.id}`);
  assert.equal((await next(follower)).event, "end");
  assert.equal((await follower.reader.read()).done, true);
  assert.equal(liveLogStreams(), 0);
});

Deno.test("logs: 401, 404 and 400 answers", async () => {
  await using cloud = await running();
  const { id } = await create(cloud, "box", "?start=true");
  const path = `/v1/sandboxes/${id}/logs`;
  assertError(await call(cloud, "GET", path, { authorization: null }), 401, "invalid_api_key");
  assertError(
    await call(cloud, "GET", `/v1/sandboxes/${crypto.randomUUID()}/logs`),
    404,
    "sandbox_not_found",
  );
  for (
    const query of [
      "?sources=gpu",
      "?sources=stdout,",
      "?sources=",
      "?follow=false",
      "?follow=maybe",
      "?cursor=%21%21%21",
      `?cursor=${encodeURIComponent(new LogCursor([{ generation: 9n, offset: 1n }]).toString())}`,
      `?cursor=${encodeURIComponent("AQEAAAAAAAAA")}`,
    ]
  ) {
    assertError(await call(cloud, "GET", path + query), 400, "invalid_request");
  }
  const res = await fetch(cloud.url + path, {
    headers: { authorization: `Bearer ${cloud.apiKey}`, "last-event-id": "not a cursor" },
  });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, "invalid_request");
  assert.equal(liveLogStreams(), 0);
});

Deno.test("logs: a heartbeat comment after logHeartbeatMs of silence", async () => {
  await using cloud = await running({ logHeartbeatMs: 20 });
  const { id } = await create(cloud, "box", "?start=true");
  const stream = await openLogs(cloud, id, OUT);
  const reading = stream.reader.read();
  await waitUntil(() => stream.comments.length >= 2);
  assert.deepEqual(stream.comments.slice(0, 2), ["ping", "ping"]);
  cloud.appendLog("box", [{ source: "stdout", text: "after" }]);
  const { value } = await reading;
  assert.equal(JSON.parse(value!.data).text, "after");
  await stream.reader.cancel();
});

Deno.test("logs: 10,000 entries arrive coalesced in far fewer chunks", async () => {
  await using cloud = await running();
  const { id } = await create(cloud, "box", "?start=true");
  const entries = Array.from({ length: 10_000 }, (_, i) => ({
    source: "stdout" as const,
    text: `line ${i} ${"x".repeat(60)}\n`,
  }));
  cloud.appendLog("box", entries);
  const stream = await openLogs(cloud, id, "?sources=stdout");
  const got = await logs(stream, 10_000);
  assert.equal(got.at(-1)!.entry.text, entries.at(-1)!.text);
  assert.ok(stream.chunks.count < 100, `${stream.chunks.count} chunks for 10,000 entries`);
  // Live entries appended in one burst also share chunks.
  const before = stream.chunks.count;
  cloud.appendLog("box", entries.slice(0, 1000));
  await logs(stream, 1000);
  assert.ok(stream.chunks.count - before < 50, `${stream.chunks.count - before} live chunks`);
  await stream.reader.cancel();
});

Deno.test("logs: a client that goes away frees the subscription and timers", async () => {
  await using cloud = await running({ logHeartbeatMs: 10 });
  const { id } = await create(cloud, "box", "?start=true");
  const a = await openLogs(cloud, id, OUT);
  const controller = new AbortController();
  const b = await openLogs(cloud, id, OUT, {}, controller.signal);
  assert.equal(liveLogStreams(), 2);
  await a.reader.cancel();
  controller.abort();
  await b.reader.read().catch(() => {});
  await waitUntil(() => liveLogStreams() === 0);
  // Cloud close ends the streams still open.
  const c = await openLogs(cloud, id, OUT);
  assert.equal(liveLogStreams(), 1);
  const reading = (async () => {
    while (!(await c.reader.read().catch(() => ({ done: true }))).done) { /* drain */ }
  })();
  await cloud.close();
  await reading;
  assert.equal(liveLogStreams(), 0);
});

Deno.test("logs fault: cutAfter errors the body after N events", async () => {
  await using cloud = await running();
  const { id } = await create(cloud, "box", "?start=true");
  cloud.appendLog("box", ["a", "b", "c"].map((text) => ({ source: "stdout", text })));
  cloud.faults.logFault("cutAfter", { events: 2 });
  const stream = await openLogs(cloud, id, "?sources=stdout");
  assert.deepEqual((await logs(stream, 2)).map((e) => e.entry.text), ["a", "b"]);
  await assert.rejects(stream.reader.read());
  // One request only: the next stream is whole.
  const whole = await openLogs(cloud, id, "?sources=stdout");
  assert.equal((await logs(whole, 3)).length, 3);
  await whole.reader.cancel();
  await waitUntil(() => liveLogStreams() === 0);
});

Deno.test("logs faults: garbage, invalidJson, unknownEvent, unknownSource", async () => {
  await using cloud = await running();
  const { id } = await create(cloud, "box", "?start=true");
  cloud.appendLog("box", ["a", "b"].map((text) => ({ source: "stdout", text })));
  const open = async (kind: "garbage" | "invalidJson" | "unknownEvent" | "unknownSource") => {
    cloud.faults.logFault(kind);
    const stream = await openLogs(cloud, id, "?sources=stdout");
    const events = [await next(stream), await next(stream), await next(stream)];
    await stream.reader.cancel();
    assert.equal(JSON.parse(events[0]!.data).text, "a");
    return events;
  };
  const garbage = await open("garbage");
  assert.deepEqual([garbage[1]!.event, garbage[1]!.data], ["message", ""]);
  assert.equal(JSON.parse(garbage[2]!.data).text, "b");
  const invalid = await open("invalidJson");
  assert.equal(invalid[1]!.event, "log");
  assert.throws(() => JSON.parse(invalid[1]!.data));
  const unknown = await open("unknownEvent");
  assert.equal(unknown[1]!.event, "future");
  const gpu = await open("unknownSource");
  assert.equal(gpu[1]!.event, "log");
  assert.equal(JSON.parse(gpu[1]!.data).source, "gpu");
  assert.equal(JSON.parse(gpu[2]!.data).text, "b");
  await waitUntil(() => liveLogStreams() === 0);
});

Deno.test("logs faults: stall sends only the history; endWithoutEvent closes without end", async () => {
  await using cloud = await running({ logHeartbeatMs: 10 });
  const { id } = await create(cloud, "box", "?start=true");
  cloud.appendLog("box", [{ source: "stdout", text: "old" }]);
  cloud.faults.logFault("stall", { requests: 2 });
  const stalled = await openLogs(cloud, id, "?sources=stdout");
  assert.equal((await logs(stalled, 1))[0]!.entry.text, "old");
  cloud.appendLog("box", [{ source: "stdout", text: "new" }]);
  const pending = stalled.reader.read();
  const outcome = await Promise.race([
    pending.then(() => "event"),
    new Promise((r) => setTimeout(() => r("silent"), 60)),
  ]);
  assert.equal(outcome, "silent");
  assert.deepEqual(stalled.comments, []);
  await stalled.reader.cancel();
  const second = await openLogs(cloud, id, "?sources=stdout");
  assert.equal((await logs(second, 2)).length, 2);
  await second.reader.cancel();
  cloud.faults.logFault("endWithoutEvent");
  const cut = await openLogs(cloud, id, "?sources=stdout");
  assert.deepEqual((await logs(cut, 2)).map((e) => e.entry.text), ["old", "new"]);
  assert.equal((await cut.reader.read()).done, true);
  await waitUntil(() => liveLogStreams() === 0);
  assert.throws(() => cloud.faults.logFault("nope" as "stall"), TypeError);
  assert.throws(() => cloud.faults.logFault("cutAfter", { events: -1 }), RangeError);
});

Deno.test("appendLog rejects unknown sandboxes and sources", async () => {
  await using cloud = await running();
  await create(cloud, "box");
  assert.throws(() => cloud.appendLog("nobody", [{ source: "stdout", text: "" }]));
  assert.throws(
    () => cloud.appendLog("box", [{ source: "gpu" as "stdout", text: "" }]),
    TypeError,
  );
});
