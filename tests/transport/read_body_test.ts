import assert from "node:assert/strict";
import { readBody } from "../../src/transport/_read_body.ts";

const encoder = new TextEncoder();

function streamed(...chunks: string[]): Response {
  return new Response(ReadableStream.from(chunks.map((chunk) => encoder.encode(chunk))));
}

Deno.test("readBody joins a streamed body within the limit", async () => {
  assert.deepEqual(await readBody(streamed('{"a":', "1}"), 64), {
    text: '{"a":1}',
    truncated: false,
    bytes: 7,
  });
  assert.deepEqual(await readBody(new Response(null), 64), {
    text: "",
    truncated: false,
    bytes: 0,
  });
});

Deno.test("readBody cuts a streamed body at the limit and cancels the rest", async () => {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(encoder.encode("0123456789"));
    },
    cancel() {
      cancelled = true;
    },
  });
  assert.deepEqual(await readBody(new Response(body), 25), {
    text: "0123456789012345678901234",
    truncated: true,
    bytes: 25,
  });
  assert.ok(cancelled);
});

Deno.test("readBody trusts a declared length only when it is within the limit and uncompressed", async () => {
  const small = new Response("hello", { headers: { "content-length": "5" } });
  assert.deepEqual(await readBody(small, 5), { text: "hello", truncated: false, bytes: 5 });
  const compressed = new Response("hello world", {
    headers: { "content-length": "3", "content-encoding": "gzip" },
  });
  assert.deepEqual(await readBody(compressed, 5), { text: "hello", truncated: true, bytes: 5 });
});
