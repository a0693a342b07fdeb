// SseDecoderStream and SseParser against eventsource-parser (the oracle) on random streams cut at
// random points: CR, LF and CRLF line ends (cuts after every CR split CRLF), one or two leading
// BOMs (one is dropped, a second one stays and spoils the first field name), NUL in ids, `retry`
// with and without non-digits, comments, fields without a colon, values with and without the
// leading space, non-ASCII and invalid or split UTF-8, and streams that end inside an event
// (which is not dispatched). Both sides see the same text: the oracle is fed what a streaming
// TextDecoder makes of the same chunks, so U+FFFD must come out of both the same way.
//
// Where the oracle and the WHATWG rules (which we follow) legitimately differ, the comparison
// adapts, on purpose:
// - eventsource-parser resets its `id` after each event and reports only the event's own `id`
//   field; WHATWG keeps the last event ID buffer across events and every event carries the last
//   event ID. The expected `id` is the latest one the oracle reported through `onId` (which it
//   calls at every blank line that ends an event with an `id`, dispatched or not), which is
//   WHATWG's rule. The same value must be our parser's `lastEventId` at the end: an event cut
//   before its blank line never sets it.
// - eventsource-parser also strips a leading "\xEF\xBB\xBF" text (a UTF-8 BOM decoded as
//   Latin-1, for callers that decode bytes that way). The WHATWG parser works on UTF-8 decoded
//   text, where those are three ordinary characters (U+00EF U+00BB U+00BF), and so do we. The
//   oracle is fed a text that starts with U+FEFF (one is added when the stream has none), so it
//   strips that one BOM and nothing else, as WHATWG's decoder does.
// - eventsource-parser has no notion of an event's own `retry` (`SseEvent.retry`); the retries
//   are compared as the sequence the two parsers report, interleaved with events and comments in
//   the order they happen.
import assert from "node:assert/strict";
import fc from "fast-check";
import { createParser } from "eventsource-parser";
import { SseDecoderStream, type SseEvent, SseParser } from "../../src/sse/mod.ts";
import { applyCuts, cuts } from "./_chunking.ts";
import { fuzz } from "./_fuzz.ts";

/** What a parser reported, in order. */
type Report =
  | { event: string; data: string; id: string | undefined }
  | { retry: number }
  | { comment: string };

const EOLS = ["\n", "\r", "\r\n"];
const NAMES = [
  "data",
  "event",
  "id",
  "retry",
  "",
  "dat",
  "datas",
  "Data",
  "ids",
  "re",
  "\uFEFFdata",
];
const CHARS = [
  "a",
  "x",
  " ",
  "  ",
  ":",
  "\0",
  "0",
  "7",
  "\t",
  "d",
  "é",
  "€",
  "😀",
  "\uFEFF",
  "\u00EF\u00BB\u00BF",
  "data",
  "event: ",
];
const value = fc.array(fc.constantFrom(...CHARS), { maxLength: 6 }).map((parts) => parts.join(""));
const digits = fc.array(fc.constantFrom("0", "1", "9"), { minLength: 1, maxLength: 25 })
  .map((parts) => parts.join(""));

/** One line, without its end. */
const line: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(""), weight: 4 },
  { arbitrary: fc.constantFrom(...NAMES), weight: 1 },
  {
    arbitrary: fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(":", ": "), value)
      .map(([name, colon, text]) => name + colon + text),
    weight: 6,
  },
  { arbitrary: value.map((text) => ":" + text), weight: 1 },
  {
    arbitrary: fc.tuple(fc.constantFrom("retry:", "retry: "), digits, fc.constantFrom("", "x", " "))
      .map(([name, number, tail]) => name + number + tail),
    weight: 1,
  },
);

/** Bytes that are not (or not all of) a UTF-8 character. */
const BAD_UTF8: number[][] = [[0x80], [0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [
  0xc0,
  0xaf,
], [
  0xf0,
  0x9f,
  0x98,
]];

/** A random event stream as bytes. */
const stream: fc.Arbitrary<Uint8Array> = fc.record({
  bom: fc.constantFrom("", "\uFEFF", "\uFEFF\uFEFF", "\u00EF\u00BB\u00BF"),
  lines: fc.array(fc.tuple(line, fc.constantFrom(...EOLS)), { maxLength: 14 }),
  cut: fc.boolean(),
  bad: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...BAD_UTF8)), { maxLength: 2 }),
}).map(({ bom, lines, cut, bad }) => {
  let text = bom + lines.map(([text, eol]) => text + eol).join("");
  if (cut && lines.length > 0) text += lines[0]![0];
  const bytes = [...new TextEncoder().encode(text)];
  for (const [at, insert] of bad) bytes.splice(at % (bytes.length + 1), 0, ...insert);
  return Uint8Array.from(bytes);
});

/** The texts a streaming UTF-8 decoder that keeps the BOM makes of `chunks`. */
function decodeTexts(chunks: Uint8Array[]): string[] {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  return [...chunks.map((chunk) => decoder.decode(chunk, { stream: true })), decoder.decode()];
}

/** What eventsource-parser reports for `texts`, with WHATWG's last event ID on each event. */
function oracle(texts: string[]): { reports: Report[]; lastEventId: string | undefined } {
  const reports: Report[] = [];
  let lastEventId: string | undefined;
  const parser = createParser({
    onId: (id) => lastEventId = id,
    onEvent: (event) =>
      reports.push({ event: event.event ?? "message", data: event.data, id: lastEventId }),
    onRetry: (retry) => reports.push({ retry }),
    onComment: (comment) => reports.push({ comment }),
  });
  let first = true;
  for (const text of texts) {
    if (first && text !== "") {
      parser.feed(text.startsWith("\uFEFF") ? text : "\uFEFF" + text);
      first = false;
    } else {
      parser.feed(text);
    }
  }
  return { reports, lastEventId };
}

function report({ event, data, id }: SseEvent): Report {
  return { event, data, id };
}

/** What SseParser reports for `texts`. */
function parse(texts: string[]): { reports: Report[]; lastEventId: string | undefined } {
  const reports: Report[] = [];
  const parser = new SseParser({
    onEvent: (event) => reports.push(report(event)),
    onRetry: (retry) => reports.push({ retry }),
    onComment: (comment) => reports.push({ comment }),
  });
  for (const text of texts) parser.feed(text);
  parser.end();
  return { reports, lastEventId: parser.lastEventId };
}

/** What SseDecoderStream yields for `chunks`, events first, then retries and comments. */
async function decode(chunks: Uint8Array[]): Promise<Report[][]> {
  const retries: Report[] = [];
  const comments: Report[] = [];
  const events = await Array.fromAsync(
    ReadableStream.from(chunks).pipeThrough(
      new SseDecoderStream({
        onRetry: (retry) => retries.push({ retry }),
        onComment: (comment) => comments.push({ comment }),
      }),
    ),
  );
  return [events.map(report), retries, comments];
}

/** The reports of one kind, in order. */
function split(reports: Report[]): Report[][] {
  return [
    reports.filter((r) => "event" in r),
    reports.filter((r) => "retry" in r),
    reports.filter((r) => "comment" in r),
  ];
}

Deno.test("SseDecoderStream and SseParser report what eventsource-parser reports, by WHATWG", async () => {
  await fuzz(
    "SSE decoder vs eventsource-parser",
    fc.asyncProperty(stream, cuts(), async (bytes, where) => {
      const chunks = applyCuts(bytes, where);
      const texts = decodeTexts(chunks);
      const expected = oracle(texts);
      const parsed = parse(texts);
      assert.deepEqual(parsed, expected);
      assert.deepEqual(await decode(chunks), split(expected.reports));
    }),
  );
});
