// The lines SseParser recognises without searching for their end (a blank line, and an `event`
// line repeating the last type) must parse as every other line does.
import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import { type SseEvent, SseParser, type SseParserOptions } from "../../src/sse/mod.ts";
import { sse } from "./_replay.ts";

/** The events of `text` fed whole, then fed one character at a time (no shortcut applies). */
function parseBothWays(text: string, options?: SseParserOptions): [SseEvent[], SseEvent[]] {
  return [parse([text], options), parse([...text], options)];
}

function parse(parts: string[], options?: SseParserOptions): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser({ onEvent: (event) => events.push(event) }, options);
  for (const part of parts) parser.feed(part);
  return events;
}

Deno.test("SseParser reads a repeated event type as a new one", () => {
  const text = "event: log\ndata: 1\n\nevent: log\ndata: 2\n\nevent: logx\ndata: 3\n\n" +
    "event: lo\ndata: 4\n\nevent:lo\ndata: 5\n\nevent:  lo\ndata: 6\n\nevent: lo\rdata: 7\r\n\r\n";
  const [whole, byChar] = parseBothWays(text);
  assert.deepEqual(whole, [
    sse({ event: "log", data: "1" }),
    sse({ event: "log", data: "2" }),
    sse({ event: "logx", data: "3" }),
    sse({ event: "lo", data: "4" }),
    sse({ event: "lo", data: "5" }),
    sse({ event: " lo", data: "6" }),
    sse({ event: "lo", data: "7" }),
  ]);
  assert.deepEqual(byChar, whole);
});

Deno.test("SseParser reads an empty event type repeated as message", () => {
  const [whole, byChar] = parseBothWays(
    "event:\ndata: 1\n\nevent: \ndata: 2\n\nevent\ndata: 3\n\n",
  );
  assert.deepEqual(whole, [sse({ data: "1" }), sse({ data: "2" }), sse({ data: "3" })]);
  assert.deepEqual(byChar, whole);
});

Deno.test("SseParser dispatches at blank lines ended by CR, LF or CRLF", () => {
  const [whole, byChar] = parseBothWays("data: 1\n\ndata: 2\r\rdata: 3\r\n\r\ndata: 4\n\r\n");
  assert.deepEqual(whole, [
    sse({ data: "1" }),
    sse({ data: "2" }),
    sse({ data: "3" }),
    sse({
      data: "4",
    }),
  ]);
  assert.deepEqual(byChar, whole);
});

Deno.test("SseParser counts a repeated event line against the limit", () => {
  // `event:abc` holds 9 characters; `event: abc`, the same type, 10.
  const parser = new SseParser({ onEvent() {} }, { maxBufferSize: 9 });
  parser.feed("event:abc\ndata: 1\n\n");
  assert.throws(() => parser.feed("event: abc\n"), ProtocolError);
});
