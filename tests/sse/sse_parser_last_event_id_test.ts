// `SseParser.lastEventId` follows the WHATWG rule: it changes when an event is dispatched (its
// blank line), never for an event cut before it.
import assert from "node:assert/strict";
import { type SseEvent, SseParser } from "../../src/sse/mod.ts";
import { sse } from "./_replay.ts";

function collector() {
  const events: SseEvent[] = [];
  return { parser: new SseParser({ onEvent: (event) => events.push(event) }), events };
}

Deno.test("SseParser keeps the last event id of the last dispatch while an event is cut", () => {
  const { parser, events } = collector();
  parser.feed("id: 3\ndata: a\n\nid: 4\ndata: cut");
  assert.equal(parser.lastEventId, "3");
  parser.feed("\n");
  assert.equal(parser.lastEventId, "3");
  parser.end();
  assert.equal(parser.lastEventId, "3");
  parser.feed("data: b\n\n");
  assert.equal(parser.lastEventId, "3");
  assert.deepEqual(events, [sse({ id: "3", data: "a" }), sse({ id: "3", data: "b" })]);
});

Deno.test("SseParser takes the id at the blank line, one character at a time too", () => {
  const { parser, events } = collector();
  for (const char of "id: 7\r\n") parser.feed(char);
  assert.equal(parser.lastEventId, undefined);
  parser.feed("\r\n");
  assert.equal(parser.lastEventId, "7");
  parser.feed("id: 8\ndata: x\n");
  assert.equal(parser.lastEventId, "7");
  parser.feed("\n");
  assert.equal(parser.lastEventId, "8");
  assert.deepEqual(events, [sse({ id: "8", data: "x" })]);
});

Deno.test("SseParser forgets a cut event's id at end, for the events after it", () => {
  const { parser, events } = collector();
  parser.feed("id: 1\ndata: a\n\nid: 2\n");
  parser.end();
  parser.feed("data: b\n\n");
  assert.deepEqual(events, [sse({ id: "1", data: "a" }), sse({ id: "1", data: "b" })]);
  assert.equal(parser.lastEventId, "1");
});
