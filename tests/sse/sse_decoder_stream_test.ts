import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import {
  SseDecoderStream,
  type SseDecoderStreamOptions,
  type SseEvent,
} from "../../src/sse/mod.ts";
import {
  atEveryChunkSize,
  decodeChunks,
  logEvent,
  logStream,
  rechunk,
  replay,
  sse,
  utf8,
} from "./_replay.ts";

/** Checks that `text` decodes to `expected` at every chunk size. */
function expectEvents(
  text: string | Uint8Array,
  expected: SseEvent[],
  options?: SseDecoderStreamOptions,
): Promise<void> {
  const bytes = typeof text === "string" ? utf8(text) : text;
  return atEveryChunkSize(async (size) => {
    assert.deepEqual(await replay(bytes, size, options), expected);
  });
}

Deno.test("SseDecoderStream splits lines on LF", async () => {
  await expectEvents("data: a\n\ndata: b\n\n", [sse({ data: "a" }), sse({ data: "b" })]);
});

Deno.test("SseDecoderStream splits lines on CRLF", async () => {
  await expectEvents("data: a\r\n\r\ndata: b\r\n\r\n", [sse({ data: "a" }), sse({ data: "b" })]);
});

Deno.test("SseDecoderStream splits lines on a bare CR", async () => {
  await expectEvents("data: a\r\rdata: b\r\r", [sse({ data: "a" }), sse({ data: "b" })]);
});

Deno.test("SseDecoderStream accepts mixed line ends", async () => {
  await expectEvents("data: a\n\r\ndata: b\r\n\rdata: c\r\n\n", [
    sse({ data: "a" }),
    sse({ data: "b" }),
    sse({ data: "c" }),
  ]);
});

Deno.test("SseDecoderStream reads a CRLF split across chunks as one line end", async () => {
  // Were the CR and the LF two line ends, the blank line would end the event before `data: b`.
  const chunks = ["data: a\r", "\ndata: b\r", "\n\r", "\n"].map(utf8);
  assert.deepEqual(await decodeChunks(chunks), [sse({ data: "a\nb" })]);
});

Deno.test("SseDecoderStream drops one leading BOM", async () => {
  await expectEvents("\uFEFFdata: a\n\n", [sse({ data: "a" })]);
});

Deno.test("SseDecoderStream keeps a second BOM", async () => {
  // The second BOM starts the first line's name, which is then no known field.
  await expectEvents("\uFEFF\uFEFFdata: a\n\ndata: b\n\n", [sse({ data: "b" })]);
});

Deno.test("SseDecoderStream keeps a leading U+00EF U+00BB U+00BF, which is text and not a BOM", async () => {
  // A difference from eventsource-parser kept on purpose (see tests/fuzz/sse_decoder_test.ts):
  // it also strips these three characters, a BOM decoded as Latin-1; WHATWG decodes UTF-8, where
  // they are ordinary characters that start the first line's name.
  await expectEvents("\u00EF\u00BB\u00BFdata: a\n\ndata: b\n\n", [sse({ data: "b" })]);
});

Deno.test("SseDecoderStream keeps a BOM that is not at the start", async () => {
  await expectEvents("data: \uFEFFa\n\n", [sse({ data: "\uFEFFa" })]);
});

Deno.test("SseDecoderStream ignores comments and reports them", async () => {
  const comments: string[] = [];
  await expectEvents(":hello\n: world\ndata: a\n:\n\n", [sse({ data: "a" })], {
    onComment: (text) => comments.push(text),
  });
  assert.deepEqual(comments, Array(6).fill(["hello", "world", ""]).flat());
});

Deno.test("SseDecoderStream reads a field without colon as an empty value", async () => {
  await expectEvents("data\ndata\ndata: x\n\ndata\n\n", [
    sse({ data: "\n\nx" }),
    sse({ data: "" }),
  ]);
});

Deno.test("SseDecoderStream strips one leading space of a value", async () => {
  await expectEvents("data:a\n\ndata: a\n\ndata:  a \n\nevent:  log\ndata:\n\n", [
    sse({ data: "a" }),
    sse({ data: "a" }),
    sse({ data: " a " }),
    sse({ event: " log", data: "" }),
  ]);
});

Deno.test("SseDecoderStream joins multi-line data with LF", async () => {
  await expectEvents("data: a\ndata:\ndata: b\r\ndata: c\rdata\n\n", [
    sse({ data: "a\n\nb\nc\n" }),
  ]);
});

Deno.test("SseDecoderStream keeps the last event and id field of an event", async () => {
  await expectEvents("event: a\nevent: b\nid: 1\nid: 2\ndata: x\n\n", [
    sse({ id: "2", event: "b", data: "x" }),
  ]);
});

Deno.test("SseDecoderStream ignores an id containing NUL", async () => {
  await expectEvents("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n", [
    sse({ id: "1", data: "a" }),
    sse({ id: "1", data: "b" }),
  ]);
});

Deno.test("SseDecoderStream carries the last event id to later events", async () => {
  await expectEvents("id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\ndata: d\n\n", [
    sse({ id: "1", data: "a" }),
    sse({ id: "1", data: "b" }),
    sse({ id: "", data: "c" }),
    sse({ id: "", data: "d" }),
  ]);
});

Deno.test("SseDecoderStream sets the id of an event without data for later events", async () => {
  await expectEvents("id: 5\n\ndata: a\n\n", [sse({ id: "5", data: "a" })]);
});

Deno.test("SseDecoderStream takes retry only when all digits", async () => {
  const retries: number[] = [];
  await expectEvents(
    "retry: 1500\ndata: a\n\nretry: 15x\ndata: b\n\nretry: -1\nretry: 1.5\nretry:\nretry: \n" +
      "data: c\n\nretry: 3000\n\n",
    [sse({ data: "a", retry: 1500 }), sse({ data: "b" }), sse({ data: "c" })],
    { onRetry: (ms) => retries.push(ms) },
  );
  assert.deepEqual(retries, Array(6).fill([1500, 3000]).flat());
});

Deno.test("SseDecoderStream ignores unknown fields", async () => {
  await expectEvents("foo: bar\nData: x\ndata: a\n\n", [sse({ data: "a" })]);
});

Deno.test("SseDecoderStream does not dispatch an event without data", async () => {
  await expectEvents("event: end\n\nid: 1\n\n\n\ndata: a\n\n", [sse({ id: "1", data: "a" })]);
});

Deno.test("SseDecoderStream dispatches an event without data with dispatchEmpty", async () => {
  await expectEvents(
    "\n\nevent: end\n\n:comment\n\nid: 1\n\ndata: a\n\n",
    [sse({ event: "end" }), sse({ id: "1" }), sse({ id: "1", data: "a" })],
    { dispatchEmpty: true },
  );
});

Deno.test("SseDecoderStream drops an unterminated final event", async () => {
  await expectEvents("data: a\n\ndata: b\n", [sse({ data: "a" })]);
  await expectEvents("data: a\n\ndata: b", [sse({ data: "a" })]);
  await expectEvents("data: a\n\nevent: end\n", [sse({ data: "a" })], { dispatchEmpty: true });
});

Deno.test("SseDecoderStream decodes a msb-cloud log stream ending with event: end", async () => {
  const text = logEvent("c0", "hello") + ": heartbeat\n\n" + logEvent("c1", "world") +
    "event: end\n\n";
  const events = await replay(utf8(text), 7, { dispatchEmpty: true });
  assert.deepEqual(events.map((event) => [event.id, event.event]), [
    ["c0", "log"],
    ["c1", "log"],
    ["c1", "end"],
  ]);
  assert.equal(JSON.parse(events[1]!.data).text, "world");
  const expected = Array.from({ length: 50 }, (_, i) =>
    sse({
      id: `c${i}`,
      event: "log",
      data: JSON.stringify({
        source: "stdout",
        ts: "2026-05-31T10:00:00Z",
        text: `line ${i} `.padEnd(80, "x"),
      }),
    }));
  await expectEvents(logStream(50), [...expected, sse({ id: "c49", event: "end" })], {
    dispatchEmpty: true,
  });
});

Deno.test("SseDecoderStream decodes a multibyte character split at every byte offset", async () => {
  const data = "aé€😀z"; // 1, 2, 3 and 4 UTF-8 bytes
  const bytes = utf8(`data: ${data}\n\n`);
  for (let cut = 0; cut <= bytes.length; cut++) {
    for (let second = cut; second <= bytes.length; second++) {
      const chunks = [bytes.slice(0, cut), bytes.slice(cut, second), bytes.slice(second)];
      assert.deepEqual(await decodeChunks(chunks), [sse({ data })], `cuts at ${cut}, ${second}`);
    }
  }
  await expectEvents(bytes, [sse({ data })]);
});

Deno.test("SseDecoderStream turns invalid UTF-8 into U+FFFD", async () => {
  const bytes = Uint8Array.of(
    ...utf8("data: a"),
    0xff, // never valid
    0xe2,
    0x82, // a 3-byte sequence cut short by the next byte
    ...utf8("b"),
    0xc3, // cut short by the line end
    ...utf8("\n\ndata: "),
    0xf0,
    0x9f, // cut short by the end of the stream, inside an unterminated event
  );
  await expectEvents(bytes, [sse({ data: "a\uFFFD\uFFFDb\uFFFD" })]);
  // A truncated sequence at the very end still yields U+FFFD, ending a complete line.
  await expectEvents(Uint8Array.of(...utf8("data: x\n\n:"), 0xe2), [sse({ data: "x" })]);
});

Deno.test("SseDecoderStream errors when a line exceeds maxBufferSize", async () => {
  await atEveryChunkSize(async (size) => {
    const bytes = utf8(`data: a\n\ndata: ${"x".repeat(100)}\n\n`);
    const events: SseEvent[] = [];
    const stream = ReadableStream.from(rechunk(bytes, size))
      .pipeThrough(new SseDecoderStream({ maxBufferSize: 64 }));
    await assert.rejects(
      async () => {
        for await (const event of stream) events.push(event);
      },
      (error) =>
        error instanceof ProtocolError && error.kind === "Protocol" &&
        error.message.startsWith(
          "Cannot decode SSE: a line exceeds the 64-character limit (maxBufferSize)",
        ),
    );
    assert.deepEqual(events, [sse({ data: "a" })]);
  });
});

Deno.test("SseDecoderStream errors when an event's data exceeds maxBufferSize", async () => {
  const bytes = utf8(`${"data: 0123456789\n".repeat(10)}\n`);
  await atEveryChunkSize(async (size) => {
    await assert.rejects(
      () => replay(bytes, size, { maxBufferSize: 64 }),
      /the data of an event exceeds the 64-character limit/,
    );
  });
  assert.equal((await replay(bytes, 3, { maxBufferSize: 109 }))[0]!.data.length, 109);
});

Deno.test("SseDecoderStream errors with the 1 MiB limit by default", async () => {
  const bytes = utf8(`data: ${"x".repeat(1024 * 1024)}\n\n`);
  await assert.rejects(
    () => replay(bytes, 65536),
    /^ProtocolError: Cannot decode SSE: a line exceeds the 1048576-character limit \(maxBufferSize\)/,
  );
});
