import assert from "node:assert/strict";
import {
  encodeSseEvent,
  type SseComment,
  SseDecoderStream,
  SseEncoderStream,
  type SseEvent,
  type SseEventInit,
} from "../../src/sse/mod.ts";
import { atEveryChunkSize, rechunk, sse } from "./_replay.ts";

/** The bytes `SseEncoderStream` writes for `inputs`, in one buffer. */
async function encodeAll(inputs: (SseEventInit | SseComment)[]): Promise<Uint8Array> {
  const body = ReadableStream.from(inputs).pipeThrough(new SseEncoderStream());
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** Encodes `inputs`, then decodes them again at every chunk size, expecting `expected`. */
async function roundTrip(
  inputs: (SseEventInit | SseComment)[],
  expected: SseEvent[],
  dispatchEmpty = false,
): Promise<void> {
  const bytes = await encodeAll(inputs);
  await atEveryChunkSize(async (size) => {
    const events = await Array.fromAsync(
      ReadableStream.from(rechunk(bytes, size)).pipeThrough(
        new SseDecoderStream({ dispatchEmpty }),
      ),
    );
    assert.deepEqual(events, expected);
  });
}

Deno.test("encodeSseEvent writes fields in order and one data line per line", () => {
  assert.equal(
    encodeSseEvent({ id: "7", event: "log", retry: 1000, data: "a\r\nb\rc\nd" }),
    "id: 7\nevent: log\nretry: 1000\ndata: a\ndata: b\ndata: c\ndata: d\n\n",
  );
});

Deno.test("encodeSseEvent leaves out the default event type and missing fields", () => {
  assert.equal(encodeSseEvent({ event: "message", data: "x" }), "data: x\n\n");
  assert.equal(encodeSseEvent({ event: "end" }), "event: end\n\n");
  assert.equal(encodeSseEvent({ data: "" }), "data:\n\n");
  assert.equal(encodeSseEvent({ id: "", data: "x" }), "id:\ndata: x\n\n");
  assert.equal(encodeSseEvent({}), "\n");
});

Deno.test("encodeSseEvent writes each line of a comment", () => {
  assert.equal(encodeSseEvent({ comment: "" }), ":\n");
  assert.equal(encodeSseEvent({ comment: "a\nb" }), ": a\n: b\n");
});

Deno.test("encodeSseEvent refuses line breaks in id and event", () => {
  for (const bad of ["a\nb", "a\rb", "a\r\n"]) {
    assert.throws(() => encodeSseEvent({ id: bad, data: "x" }), TypeError);
    assert.throws(() => encodeSseEvent({ event: bad, data: "x" }), TypeError);
  }
  assert.throws(() => encodeSseEvent({ id: "a\0b", data: "x" }), /id must not contain/);
});

Deno.test("encodeSseEvent refuses a retry that is not a non-negative integer", () => {
  for (const retry of [-1, 1.5, Number.NaN, Infinity]) {
    assert.throws(() => encodeSseEvent({ retry, data: "x" }), TypeError);
  }
});

Deno.test("SseEncoderStream errors on an event it cannot write", async () => {
  await assert.rejects(() => encodeAll([{ data: "ok" }, { event: "a\nb", data: "x" }]), TypeError);
});

Deno.test("SseEncoderStream round trips multi-line data through SseDecoderStream", async () => {
  await roundTrip(
    [{ data: "a\nb" }, { data: "\n\nc\n" }, { data: " leading space" }, { data: "é😀\r\nz" }],
    [
      sse({ data: "a\nb" }),
      sse({ data: "\n\nc\n" }),
      sse({ data: " leading space" }),
      sse({
        data: "é😀\nz",
      }),
    ],
  );
});

Deno.test("SseEncoderStream round trips empty data, comments and dispatchEmpty", async () => {
  await roundTrip([{ data: "" }, { comment: "ping" }, { event: "end" }], [sse({ data: "" })]);
  await roundTrip(
    [{ data: "" }, { comment: "ping" }, { event: "end" }],
    [sse({ data: "" }), sse({ event: "end" })],
    true,
  );
});

Deno.test("SseEncoderStream round trips ids, event types and retry", async () => {
  const events = [
    sse({ id: "c1", event: "log", data: "{}" }),
    sse({ id: "c1", event: "message", data: "carried", retry: 2500 }),
    sse({ id: "", event: " spaced", data: "cleared" }),
  ];
  await roundTrip(events, events);
});
