import assert from "node:assert/strict";
import {
  LogCursor,
  LogEntry,
  SseDecoderStream,
  type SseEvent,
  toNdjsonResponse,
  toSseResponse,
} from "../../mod.ts";

function entry(i: number): LogEntry {
  return new LogEntry({
    timestamp: new Date(Date.UTC(2026, 10, 28, 10, 0, i)),
    source: i % 2 ? "stderr" : "stdout",
    sessionId: i === 0 ? 1000 : undefined,
    data: new TextEncoder().encode(`line ${i}\n`),
    cursor: new LogCursor([{ generation: 1n, offset: BigInt(i) }]),
  });
}

/** Serves `respond()` on loopback for the duration of `run`. */
async function serve(respond: (request: Request) => Response, run: (url: string) => Promise<void>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, respond);
  try {
    await run(`http://127.0.0.1:${server.addr.port}/`);
  } finally {
    await server.shutdown();
  }
}

Deno.test("toSseResponse serves log entries with their cursors as ids over HTTP", async () => {
  await serve(() => toSseResponse(ReadableStream.from([0, 1, 2].map(entry))), async (url) => {
    const response = await fetch(url);
    assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.equal(response.headers.get("cache-control"), "no-cache");
    assert.equal(response.headers.get("x-accel-buffering"), "no");
    const events: SseEvent[] = await Array.fromAsync(
      response.body!.pipeThrough(new SseDecoderStream()),
    );
    assert.deepEqual(
      events.map((e) => [e.event, e.id]),
      [0, 1, 2].map((i) => ["log", entry(i).cursor.toString()]),
    );
    assert.deepEqual(JSON.parse(events[0]!.data), {
      source: "stdout",
      ts: "2026-11-28T10:00:00.000Z",
      text: "line 0\n",
      session_id: 1000,
    });
  });
});

Deno.test("toSseResponse passes SSE events on and sends heartbeats while the source is idle", async () => {
  let release!: () => void;
  const source = new ReadableStream<SseEvent>({
    async start(controller) {
      controller.enqueue({ id: "7", event: "custom", data: "a\nb", retry: undefined });
      await new Promise<void>((resolve) => release = resolve);
      controller.close();
    },
  });
  await serve(() => toSseResponse(source, { heartbeat: 20 }), async (url) => {
    const reader = (await fetch(url)).body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes(": heartbeat")) text += (await reader.read()).value ?? "";
    release();
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
    assert.match(text, /id: 7\nevent: custom\ndata: a\ndata: b\n\n/);
  });
});

Deno.test("toSseResponse cancels the source when the client goes away", async () => {
  let cancelled: unknown = "not yet";
  const source = new ReadableStream<LogEntry>({
    pull: (controller) => controller.enqueue(entry(1)),
    cancel: (reason) => void (cancelled = reason),
  }, { highWaterMark: 0 });
  await serve(() => toSseResponse(source), async (url) => {
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    for (let i = 0; i < 100 && cancelled === "not yet"; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.notEqual(cancelled, "not yet");
  });
});

Deno.test("toSseResponse cancels the source at once when its signal aborted before the call", async () => {
  let cancelled: unknown = "not yet";
  let pulled = 0;
  const source = new ReadableStream<LogEntry>({
    pull: (controller) => pulled++ < 3 ? controller.enqueue(entry(pulled)) : controller.close(),
    cancel: (reason) => void (cancelled = reason),
  }, { highWaterMark: 0 });
  // The request's client left while the handler awaited, before the response was built.
  const signal = AbortSignal.abort("gone");
  await serve(() => toSseResponse(source, { signal }), async (url) => {
    assert.equal(await (await fetch(url)).text(), "");
    assert.equal(cancelled, "gone");
  });
});

Deno.test("toNdjsonResponse writes one JSON line per entry with its cursor", async () => {
  await serve(() => toNdjsonResponse(ReadableStream.from([0, 1].map(entry))), async (url) => {
    const response = await fetch(url);
    assert.equal(response.headers.get("content-type"), "application/x-ndjson; charset=utf-8");
    const lines = (await response.text()).trim().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(lines.map((l) => [l.source, l.text, l.cursor]), [
      ["stdout", "line 0\n", entry(0).cursor.toString()],
      ["stderr", "line 1\n", entry(1).cursor.toString()],
    ]);
  });
});
