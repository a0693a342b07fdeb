import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import { type SseEvent, SseParser, type SseParserOptions } from "../../src/sse/mod.ts";
import { sse } from "./_replay.ts";

/** A parser that collects what it reports. */
function collector(options?: SseParserOptions) {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const comments: string[] = [];
  const parser = new SseParser({
    onEvent: (event) => events.push(event),
    onRetry: (ms) => retries.push(ms),
    onComment: (text) => comments.push(text),
  }, options);
  return { parser, events, retries, comments };
}

Deno.test("SseParser parses text fed one character at a time", () => {
  const { parser, events } = collector();
  for (const char of "id: 1\r\nevent: log\rdata: a\ndata: b\r\n\r\n") parser.feed(char);
  parser.end();
  assert.deepEqual(events, [sse({ id: "1", event: "log", data: "a\nb" })]);
});

Deno.test("SseParser skips empty feeds without losing a pending CR", () => {
  const { parser, events } = collector();
  for (const part of ["data: a\r", "", "\n", "", "\r", "", "\n"]) parser.feed(part);
  assert.deepEqual(events, [sse({ data: "a" })]);
});

Deno.test("SseParser reports retries and comments", () => {
  const { parser, events, retries, comments } = collector();
  parser.feed(": hi\n:  two\nretry: 10\n\nretry: x\n\n");
  assert.deepEqual(events, []);
  assert.deepEqual(retries, [10]);
  assert.deepEqual(comments, ["hi", " two"]);
});

Deno.test("SseParser keeps the last event id after end and forgets it on reset", () => {
  const { parser, events } = collector();
  parser.feed("id: 3\ndata: a\n\ndata: cut");
  assert.equal(parser.lastEventId, "3");
  parser.end();
  parser.feed("\uFEFFdata: b\n\n");
  assert.equal(parser.lastEventId, "3");
  parser.reset();
  assert.equal(parser.lastEventId, undefined);
  parser.feed("data: c\n\n");
  assert.deepEqual(events, [
    sse({ id: "3", data: "a" }),
    sse({ id: "3", data: "b" }),
    sse({ data: "c" }),
  ]);
});

Deno.test("SseParser refuses every feed after the buffer limit until reset", () => {
  const { parser, events } = collector({ maxBufferSize: 8 });
  parser.feed("data: 1\n\ndata: 12");
  assert.throws(() => parser.feed("3"), ProtocolError);
  assert.throws(() => parser.feed("\n\n"), /a line exceeds the 8-character limit/);
  assert.throws(() => parser.end(), ProtocolError);
  parser.reset();
  parser.feed("data: 2\n\n");
  assert.deepEqual(events, [sse({ data: "1" }), sse({ data: "2" })]);
});

Deno.test("SseParser counts a line complete within one feed against the limit", () => {
  const { parser } = collector({ maxBufferSize: 8 });
  parser.feed("data: 12\n");
  assert.throws(() => parser.feed("data: 123\n"), ProtocolError);
});

Deno.test("SseParser refuses a maxBufferSize that is not a positive integer", () => {
  for (const maxBufferSize of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => new SseParser({ onEvent() {} }, { maxBufferSize }), RangeError);
  }
});

Deno.test("SseParser passes a throw from onEvent out of feed", () => {
  const parser = new SseParser({
    onEvent() {
      throw new Error("boom");
    },
  });
  assert.throws(() => parser.feed("data: a\n\n"), /boom/);
});

/**
 * Runs `fn` while counting the characters `String.prototype.indexOf` scans and those
 * `Array.prototype.join` and string concatenation produce: the parser's work, without timing.
 */
function countWork(fn: () => void): number {
  const indexOf = String.prototype.indexOf;
  const join = Array.prototype.join;
  const concat = String.prototype.concat;
  let work = 0;
  String.prototype.indexOf = function (this: string, search: string, from = 0) {
    const index = indexOf.call(this, search, from);
    work += (index < 0 ? this.length : index + 1) - from;
    return index;
  };
  Array.prototype.join = function (this: unknown[], separator?: string) {
    const result = join.call(this, separator);
    work += result.length;
    return result;
  };
  String.prototype.concat = function (this: string, ...parts: string[]) {
    const result = concat.apply(this, parts);
    work += result.length;
    return result;
  };
  try {
    fn();
  } finally {
    String.prototype.indexOf = indexOf;
    Array.prototype.join = join;
    String.prototype.concat = concat;
  }
  return work;
}

Deno.test("SseParser parses a 4 MiB line fed 1 character at a time in linear work", () => {
  const size = 4 * 1024 * 1024;
  const line = "data: " + "x".repeat(size);
  const { parser, events } = collector({ maxBufferSize: 2 * size });
  const work = countWork(() => {
    for (let at = 0; at < line.length; at++) parser.feed(line[at]!);
    parser.feed("\n\n");
  });
  assert.equal(events.length, 1);
  assert.equal(events[0]!.data.length, size);
  // Rescanning or re-joining the pending line per feed would be ~size² / 2 = 8.8e12.
  assert.ok(work < 8 * line.length, `work ${work} for ${line.length} characters`);
});

Deno.test("SseParser parses many short lines in one feed in linear work", () => {
  const text = "data: x\n".repeat(100_000) + "\n";
  const { parser, events } = collector({ maxBufferSize: text.length });
  const work = countWork(() => parser.feed(text));
  assert.equal(events.length, 1);
  assert.ok(work < 8 * text.length, `work ${work} for ${text.length} characters`);
});
