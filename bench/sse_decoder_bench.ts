// Decoding server-sent events (runtimes.md B1), each group timed against its baseline in the same
// run. Run with `deno bench -A bench/sse_decoder_bench.ts`.
//
// 1. A followed msb-cloud log stream (protocol.md §7.2): 50 MB of
//    `id: <cursor>\nevent: log\ndata: {json}\n\n` events, ending with `event: end`, delivered as a
//    response body in 64 KiB chunks: `SseDecoderStream` against eventsource-parser's
//    `EventSourceParserStream` piped after `TextDecoderStream` (as its docs show; the baseline),
//    with `TextDecoderStream` alone as the upper bound. Goal: the baseline's time ≥ 1.5× ours.
// 2. Eight events with a 1 MB `data:` line each, in 1 KiB chunks: `SseDecoderStream` against
//    `TextDecoderStream` alone (the baseline). Goal: our time ≤ 2× the baseline's.
//
// MB/s = the megabytes in each group's name / the time per iteration (MB = 10^6 bytes).
import { EventSourceParserStream } from "eventsource-parser/stream";
import { SseDecoderStream } from "../src/sse/mod.ts";
import { bigDataStream, logStream } from "../tests/sse/_replay.ts";

const LOG_EVENTS = 298_300;
const logBytes = new TextEncoder().encode(logStream(LOG_EVENTS));
const BIG_EVENTS = 8;
const bigBytes = new TextEncoder().encode(bigDataStream(BIG_EVENTS, 1_000_000));

/** A body that enqueues views of `size` bytes of `bytes` on each pull, as a socket would. */
function body(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + size));
      at += size;
    },
  }, { highWaterMark: 0 });
}

function megabytes(bytes: Uint8Array): string {
  return (bytes.length / 1e6).toFixed(1);
}

async function textDecoderOnly(bytes: Uint8Array, size: number): Promise<void> {
  let chars = 0;
  for await (const text of body(bytes, size).pipeThrough(new TextDecoderStream())) {
    chars += text.length;
  }
  if (chars !== bytes.length) throw new Error("wrong length");
}

async function ours(bytes: Uint8Array, size: number, expected: number): Promise<void> {
  let count = 0;
  const events = body(bytes, size).pipeThrough(new SseDecoderStream({ dispatchEmpty: true }));
  for await (const event of events) if (event.event !== "end") count++;
  if (count !== expected) throw new Error("wrong count");
}

async function eventsourceParser(bytes: Uint8Array, size: number, expected: number) {
  let count = 0;
  const events = body(bytes, size)
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  for await (const event of events) if (event.event !== "end") count++;
  if (count !== expected) throw new Error("wrong count");
}

const KIB64 = 64 * 1024;
const KIB1 = 1024;

{
  const group = `1. ${LOG_EVENTS} log events, ${megabytes(logBytes)} MB, 64 KiB chunks`;
  Deno.bench({
    name: "EventSourceParserStream after TextDecoderStream (64 KiB)",
    group,
    n: 5,
    warmup: 1,
    baseline: true,
    fn: async () => await eventsourceParser(logBytes, KIB64, LOG_EVENTS),
  });
  Deno.bench({
    name: "SseDecoderStream (64 KiB)",
    group,
    n: 5,
    warmup: 1,
    fn: async () => await ours(logBytes, KIB64, LOG_EVENTS),
  });
  Deno.bench({
    name: "TextDecoderStream only (64 KiB)",
    group,
    n: 5,
    warmup: 1,
    fn: async () => await textDecoderOnly(logBytes, KIB64),
  });
}

{
  const group = `2. ${BIG_EVENTS} events of 1 MB data lines, ${
    megabytes(bigBytes)
  } MB, 1 KiB chunks`;
  Deno.bench({
    name: "TextDecoderStream only (1 MB lines, 1 KiB)",
    group,
    n: 5,
    warmup: 1,
    baseline: true,
    fn: async () => await textDecoderOnly(bigBytes, KIB1),
  });
  Deno.bench({
    name: "SseDecoderStream (1 MB lines, 1 KiB)",
    group,
    n: 5,
    warmup: 1,
    fn: async () => await ours(bigBytes, KIB1, BIG_EVENTS),
  });
  Deno.bench({
    name: "EventSourceParserStream after TextDecoderStream (1 MB lines, 1 KiB)",
    group,
    n: 5,
    warmup: 1,
    fn: async () => await eventsourceParser(bigBytes, KIB1, BIG_EVENTS),
  });
}
