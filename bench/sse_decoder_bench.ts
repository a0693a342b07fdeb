// Decoding a followed msb-cloud log stream (protocol.md §7.2): ~10 MB of
// `id: <cursor>\nevent: log\ndata: {json}\n\n` events, ending with `event: end`, delivered as a
// response body in 64 KiB and in 1 KiB chunks, through `SseDecoderStream`, against a bare
// `TextDecoderStream` on the same chunks (the UTF-8 decoding and stream machinery alone). Run with
// `deno bench bench/sse_decoder_bench.ts`.
//
// MB/s = megabytes per iteration / time per iteration; runtimes.md B1 has the reference figures.
import { SseDecoderStream } from "../src/sse/mod.ts";
import { logStream } from "../tests/sse/_replay.ts";

const EVENTS = 60_000;
const bytes = new TextEncoder().encode(logStream(EVENTS));
const megabytes = (bytes.length / 1e6).toFixed(1);

/** A body that enqueues views of `size` bytes on each pull, as a socket would. */
function body(size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + size));
      at += size;
    },
  }, { highWaterMark: 0 });
}

for (const [label, size] of [["64 KiB", 64 * 1024], ["1 KiB", 1024]] as const) {
  const group = `decode ${EVENTS} log events, ${megabytes} MB, in ${label} chunks`;

  Deno.bench({
    name: `TextDecoderStream only (${label})`,
    group,
    baseline: true,
    async fn() {
      let chars = 0;
      for await (const text of body(size).pipeThrough(new TextDecoderStream())) {
        chars += text.length;
      }
      if (chars !== bytes.length) throw new Error("wrong length");
    },
  });

  Deno.bench({
    name: `SseDecoderStream (${label})`,
    group,
    async fn() {
      let count = 0;
      const events = body(size).pipeThrough(new SseDecoderStream({ dispatchEmpty: true }));
      for await (const event of events) if (event.event === "log") count++;
      if (count !== EVENTS) throw new Error("wrong count");
    },
  });
}
