// The HTTP/1.1 exchange (src/http1/), each group timed against its baseline in the same run.
// Run with `deno bench --unstable-net -A bench/http1_exchange_bench.ts`.
//
// 1. Decoding: a 64 MiB response held in memory, delivered in 64 KiB chunks as a socket would,
//    read through `fetchHttp1` with a Content-Length body and with a chunked one (64 KiB chunks),
//    against reading the same chunks with no HTTP at all (the baseline: the cost of the streams).
// 2. Loopback: 64 MiB from a `Deno.serve` server on 127.0.0.1, through `fetchHttp1` over
//    `Deno.connect`, against the runtime's own `fetch` (the baseline).
//
// MiB/s = 64 / the time per iteration.
import { fetchHttp1, type Http1Socket } from "../src/http1/mod.ts";

const TOTAL = 64 * 1024 * 1024;
const BLOCK = 64 * 1024;
const block = new Uint8Array(BLOCK).fill(120);
const encoder = new TextEncoder();

/** The response, as chunks: its head, then the body blocks, framed as `framing` says. */
function responseChunks(framing: "length" | "chunked"): Uint8Array[] {
  const field = framing === "length" ? `Content-Length: ${TOTAL}` : "Transfer-Encoding: chunked";
  const chunks = [encoder.encode(`HTTP/1.1 200 OK\r\n${field}\r\n\r\n`)];
  const chunkHead = encoder.encode(`${BLOCK.toString(16)}\r\n`);
  for (let at = 0; at < TOTAL; at += BLOCK) {
    if (framing === "length") chunks.push(block);
    else chunks.push(concat(chunkHead, block, encoder.encode("\r\n")));
  }
  if (framing === "chunked") chunks.push(encoder.encode("0\r\n\r\n"));
  return chunks;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) (out.set(part, at), at += part.length);
  return out;
}

/** A stream that enqueues one of `chunks` per pull. */
function pulled(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      if (index >= chunks.length) return controller.close();
      controller.enqueue(chunks[index++]!);
    },
  }, { highWaterMark: 0 });
}

async function drain(body: ReadableStream<Uint8Array>, expected: number): Promise<void> {
  let size = 0;
  for await (const chunk of body) size += chunk.length;
  if (size !== expected) throw new Error(`read ${size} bytes, not ${expected}`);
}

const lengthChunks = responseChunks("length");
const chunkedChunks = responseChunks("chunked");

async function inMemory(chunks: Uint8Array[]): Promise<void> {
  const socket: Http1Socket = {
    readable: pulled(chunks),
    writable: new WritableStream(),
    close: () => Promise.resolve(),
  };
  const response = await fetchHttp1(socket, new Request("http://sandbox/"));
  await drain(response.body!, TOTAL);
}

Deno.bench("no HTTP: 64 MiB of 64 KiB chunks through a stream", {
  group: "decode",
  baseline: true,
}, async () => {
  await drain(pulled(lengthChunks.slice(1)), TOTAL);
});
Deno.bench("fetchHttp1: 64 MiB Content-Length body", { group: "decode" }, async () => {
  await inMemory(lengthChunks);
});
Deno.bench("fetchHttp1: 64 MiB chunked body", { group: "decode" }, async () => {
  await inMemory(chunkedChunks);
});

const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
  let sent = 0;
  return new Response(
    new ReadableStream({
      pull(controller) {
        if (sent >= TOTAL) return controller.close();
        controller.enqueue(block.slice());
        sent += BLOCK;
      },
    }, { highWaterMark: 0 }),
    { headers: { "Content-Length": `${TOTAL}` } },
  );
});
const url = `http://127.0.0.1:${server.addr.port}/`;

Deno.bench("fetch: 64 MiB over loopback", { group: "loopback", baseline: true }, async () => {
  await drain((await fetch(url)).body!, TOTAL);
});
Deno.bench("fetchHttp1 over Deno.connect: 64 MiB over loopback", {
  group: "loopback",
}, async () => {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  const socket: Http1Socket = {
    readable: conn.readable,
    writable: conn.writable,
    close: () => Promise.resolve(conn.close()),
  };
  await drain((await fetchHttp1(socket, new Request(url))).body!, TOTAL);
});
