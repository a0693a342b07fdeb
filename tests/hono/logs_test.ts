import assert from "node:assert/strict";
import { liveLogStreams } from "../../src/testing/logs/_logs_stream.ts";
import { ACME, appSetup, errorCode, eventually, running } from "./_app.ts";

function lines(count: number, from = 0) {
  return Array.from(
    { length: count },
    (_, i) => ({ source: "stdout" as const, text: `line ${from + i}\n` }),
  );
}

/** Reads `count` SSE events of a response as `{ id, event, data }`, then cancels it. */
async function takeEvents(response: Response, count: number) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { id: string; event: string; data: Record<string, unknown> }[] = [];
  let buffer = "";
  while (events.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0 && events.length < count) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith(":")) continue;
      const fields = Object.fromEntries(
        block.split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]),
      );
      events.push({ id: fields.id!, event: fields.event!, data: JSON.parse(fields.data!) });
    }
  }
  await reader.cancel();
  return events;
}

Deno.test("logs route streams SSE and resumes from Last-Event-ID without loss or repeats", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-logs");
  app.env.cloud.appendLog("acme-logs", lines(10));
  const first = await takeEvents(
    await fetch(`${app.base}/acme-logs/logs?sources=stdout`, { headers: ACME }),
    4,
  );
  assert.deepEqual(first.map((e) => e.data.text), lines(4).map((l) => l.text));
  assert.equal(first[0]!.event, "log");
  assert.deepEqual(Object.keys(first[0]!.data).sort(), ["source", "text", "ts"]);
  const rest = await takeEvents(
    await fetch(`${app.base}/acme-logs/logs?sources=stdout`, {
      headers: { ...ACME, "last-event-id": first.at(-1)!.id },
    }),
    6,
  );
  assert.deepEqual(rest.map((e) => e.data.text), lines(6, 4).map((l) => l.text));
});

Deno.test("logs route answers NDJSON with cursors and resumes from ?cursor=", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-logs");
  app.env.cloud.appendLog("acme-logs", [...lines(3), {
    source: "stderr",
    text: "e\n",
    sessionId: 7,
  }]);
  const response = await fetch(`${app.base}/acme-logs/logs`, {
    headers: { ...ACME, accept: "application/x-ndjson" },
  });
  assert.match(response.headers.get("content-type")!, /application\/x-ndjson/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (text.split("\n").filter(Boolean).length < 4) text += (await reader.read()).value;
  await reader.cancel();
  const entries = text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  assert.deepEqual(entries.map((e) => e.text), ["line 0\n", "line 1\n", "line 2\n", "e\n"]);
  assert.equal(entries[3].session_id, 7);
  assert.equal(typeof entries[0].cursor, "string");
  const resumed = await takeEvents(
    await fetch(`${app.base}/acme-logs/logs?cursor=${encodeURIComponent(entries[1].cursor)}`, {
      headers: ACME,
    }),
    2,
  );
  assert.deepEqual(resumed.map((e) => e.data.text), ["line 2\n", "e\n"]);
  assert.equal(resumed[1]!.data.session_id, 7);
});

Deno.test("logs route cancels the upstream log request when the client goes away", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-logs");
  app.env.cloud.appendLog("acme-logs", lines(1));
  const controller = new AbortController();
  const response = await fetch(`${app.base}/acme-logs/logs`, {
    headers: ACME,
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  await reader.read();
  await eventually(() => liveLogStreams() === 1, "the upstream log stream is open");
  controller.abort();
  await reader.closed.catch(() => {});
  await eventually(() => liveLogStreams() === 0, "the upstream log stream is cancelled");
});

Deno.test("logs route answers 400 invalid_request for a bad cursor or source, before any request", async () => {
  await using app = await appSetup();
  const before = app.env.cloud.requests.length;
  const bad = [
    app.request("/acme-logs/logs?cursor=not%20a%20cursor", { headers: ACME }),
    app.request("/acme-logs/logs", { headers: { ...ACME, "last-event-id": "garbage!" } }),
    app.request("/acme-logs/logs?sources=stdout,nope", { headers: ACME }),
  ];
  for (const response of await Promise.all(bad)) {
    assert.deepEqual([response.status, await errorCode(response)], [400, "invalid_request"]);
  }
  assert.equal(app.env.cloud.requests.length, before);
});
