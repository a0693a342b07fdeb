import assert from "node:assert/strict";
import { InvalidCursorError, ProtocolError } from "../../src/errors.ts";
import { effectiveLogSources } from "../../src/logs/log_entry.ts";
import { LogEntryStream, type LogEntryStreamOptions } from "../../src/logs/log_entry_stream.ts";
import type { SseEvent } from "../../src/sse/sse_event.ts";

function event(name: string, data: string, id?: string): SseEvent {
  return { id, event: name, data, retry: undefined };
}

function log(source: string, ts: string, text: string, id?: string): SseEvent {
  return event("log", JSON.stringify({ source, ts, text }), id);
}

function entries(events: SseEvent[], options?: LogEntryStreamOptions) {
  return Array.fromAsync(ReadableStream.from(events).pipeThrough(new LogEntryStream(options)));
}

Deno.test("LogEntryStream turns log events into entries with their cursors", async () => {
  const got = await entries([
    log("stdout", "2026-11-28T10:00:01Z", "line 1\n", "AQEAAAAAAAAAAAAAAAAAAAA="),
    event("message", "ignored"),
    log("stderr", "2026-11-28T10:00:05Z", "no id\n"),
    event("end", "{}"),
    log("stdout", "2026-11-28T10:00:06Z", "after the end\n"),
  ]);
  assert.deepEqual(got.map((e) => [e.source, e.text(), e.cursor.toString()]), [
    ["stdout", "line 1\n", "AQEAAAAAAAAAAAAAAAAAAAA="],
    ["stderr", "no id\n", "AA=="],
  ]);
  assert.equal(got[0]?.timestamp.toISOString(), "2026-11-28T10:00:01.000Z");
});

Deno.test("LogEntryStream ends on an end event without data", async () => {
  const got = await entries([
    log("system", "2026-11-28T10:00:00Z", "boot"),
    event("end", ""),
    log("stdout", "2026-11-28T10:00:01Z", "x"),
  ]);
  assert.equal(got.length, 1);
});

Deno.test("LogEntryStream skips unknown sources and keeps going", async () => {
  const got = await entries([
    log("gpu", "2026-11-28T10:00:00Z", "new"),
    log("output", "2026-11-28T10:00:01Z", "tty"),
  ]);
  assert.deepEqual(got.map((e) => e.source), ["output"]);
});

Deno.test("LogEntryStream applies since and until as the SDK does", async () => {
  const events = ["10:00:01", "10:00:02", "10:00:03", "10:00:04"].map((t) =>
    log("stdout", `2026-11-28T${t}Z`, t)
  );
  const got = await entries(events, {
    since: new Date("2026-11-28T10:00:02Z"),
    until: new Date("2026-11-28T10:00:04Z"),
  });
  assert.deepEqual(got.map((e) => e.text()), ["10:00:02", "10:00:03"]);
});

Deno.test("LogEntryStream reads the session id when the server sends one", async () => {
  const data = JSON.stringify({
    source: "stdout",
    ts: "2026-11-28T10:00:00Z",
    text: "x",
    session_id: 1001,
  });
  const [entry] = await entries([event("log", data)]);
  assert.equal(entry?.sessionId, 1001);
});

Deno.test("LogEntryStream errors with typed errors on bad payloads and cursors", async () => {
  await assert.rejects(entries([event("log", "{not json msb_secret")]), {
    name: "ProtocolError",
    message: "invalid cloud log event payload: it is not JSON (20 characters)",
  });
  await assert.rejects(
    entries([event("log", '{"source":"stdout","ts":"yesterday","text":"msb_secret"}')]),
    {
      name: "ProtocolError",
      message: "invalid cloud log event payload: expected {source, ts, text} (56 characters)",
    },
  );
  await assert.rejects(
    entries([event("log", '{"source":"stdout","ts":"2026-11-28T10:00:00Z"}')]),
    ProtocolError,
  );
  await assert.rejects(
    entries([log("stdout", "2026-11-28T10:00:00Z", "x", "bad cursor")]),
    InvalidCursorError,
  );
});

Deno.test("effectiveLogSources sorts, de-duplicates and defaults as the SDK does", () => {
  assert.deepEqual(effectiveLogSources([]), ["stdout", "stderr", "output"]);
  assert.deepEqual(effectiveLogSources(["system", "stderr", "stderr"]), ["stderr", "system"]);
});
