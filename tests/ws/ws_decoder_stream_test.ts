// WsDecoderStream on hand-made server frames, each input replayed at every chunk size: messages,
// fragments with control frames between them, the three length encodings, and every frame that
// breaks RFC 6455 failing with a ProtocolError that names what was wrong and carries its close code.
import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import type { WsEvent } from "../../src/ws/_message_assembler.ts";
import { failureCode } from "../../src/ws/_ws_error.ts";
import { WsDecoderStream } from "../../src/ws/_ws_decoder_stream.ts";
import { atEveryChunkSize, rechunk } from "../_chunks.ts";
import { closeBody, concat, type RawFrame, rawFrame } from "./_frames.ts";

const limits = { maxFrameSize: 1 << 20, maxMessageSize: 1 << 21 };

async function decode(bytes: Uint8Array, size: number, bounds = limits): Promise<WsEvent[]> {
  const events: WsEvent[] = [];
  const stream = ReadableStream.from(rechunk(bytes, size)).pipeThrough(new WsDecoderStream(bounds));
  for await (const event of stream) {
    events.push(
      event.type === "binary" || event.type === "ping" || event.type === "pong"
        ? { ...event, data: event.data.slice() }
        : event,
    );
  }
  return events;
}

function frames(...list: RawFrame[]): Uint8Array {
  return concat(list.map(rawFrame));
}

async function assertFails(bytes: Uint8Array, pattern: RegExp, code = 1002, bounds = limits) {
  await atEveryChunkSize(async (size) => {
    await assert.rejects(decode(bytes, size, bounds), (error: unknown) => {
      assert.ok(error instanceof ProtocolError, String(error));
      assert.equal(error.kind, "Protocol");
      assert.match(error.message, pattern);
      assert.equal(failureCode(error), code);
      return true;
    });
  });
}

const big = new Uint8Array(70_000).map((_, i) => i % 251);

Deno.test("WsDecoderStream reads text, binary, ping, pong and close at every chunk size", async () => {
  const bytes = frames(
    { opcode: 1, payload: "héllo" },
    { opcode: 2, payload: new Uint8Array([0, 1, 255]) },
    { opcode: 9, payload: "p" },
    { opcode: 10 },
    { opcode: 2, payload: new Uint8Array(300).fill(7) },
    { opcode: 2, payload: big },
    { opcode: 1, payload: "" },
    { opcode: 8, payload: closeBody(1000, "bye") },
  );
  await atEveryChunkSize(async (size) => {
    assert.deepEqual(await decode(bytes, size), [
      { type: "text", data: "héllo" },
      { type: "binary", data: new Uint8Array([0, 1, 255]) },
      { type: "ping", data: new TextEncoder().encode("p") },
      { type: "pong", data: new Uint8Array() },
      { type: "binary", data: new Uint8Array(300).fill(7) },
      { type: "binary", data: big },
      { type: "text", data: "" },
      { type: "close", code: 1000, reason: "bye" },
    ]);
  });
});

Deno.test("WsDecoderStream joins fragments, with control frames between them and UTF-8 split across them", async () => {
  const euro = new TextEncoder().encode("€"); // 3 bytes, split 1 + 2
  const bytes = frames(
    {
      opcode: 1,
      fin: false,
      payload: concat([new TextEncoder().encode("a"), euro.subarray(0, 1)]),
    },
    { opcode: 9, payload: "x" },
    { opcode: 0, fin: false, payload: euro.subarray(1) },
    { opcode: 0, payload: "b" },
    { opcode: 2, fin: false, payload: new Uint8Array([1]) },
    { opcode: 0, fin: false, payload: new Uint8Array() },
    { opcode: 0, payload: new Uint8Array([2, 3]) },
    { opcode: 8 },
  );
  await atEveryChunkSize(async (size) => {
    assert.deepEqual(await decode(bytes, size), [
      { type: "ping", data: new TextEncoder().encode("x") },
      { type: "text", data: "a€b" },
      { type: "binary", data: new Uint8Array([1, 2, 3]) },
      { type: "close", code: 1005, reason: "" },
    ]);
  });
});

Deno.test("WsDecoderStream ends quietly when the stream ends between messages without a close frame", async () => {
  assert.deepEqual(await decode(frames({ opcode: 1, payload: "a" }), 1), [{
    type: "text",
    data: "a",
  }]);
});

Deno.test("WsDecoderStream refuses reserved bits and opcodes, masks, and bad control frames", async () => {
  await assertFails(frames({ opcode: 1, rsv: 4, payload: "a" }), /reserved bit/);
  await assertFails(frames({ opcode: 1, rsv: 1 }), /reserved bit/);
  for (const opcode of [3, 7, 11, 15]) {
    await assertFails(frames({ opcode }), new RegExp(`reserved opcode ${opcode}`));
  }
  const mask = new Uint8Array([1, 2, 3, 4]);
  await assertFails(frames({ opcode: 1, payload: "a", mask }), /masked/);
  await assertFails(frames({ opcode: 9, fin: false }), /control frame is fragmented/);
  await assertFails(
    frames({ opcode: 9, payload: new Uint8Array(126) }),
    /control frame is longer than 125/,
  );
  await assertFails(
    frames({ opcode: 10, payload: new Uint8Array(126) }),
    /control frame is longer/,
  );
});

Deno.test("WsDecoderStream refuses lengths not in their shortest form and frames above the bound (1009)", async () => {
  await assertFails(
    frames({ opcode: 2, payload: new Uint8Array(10), lengthBits: 16 }),
    /shortest form/,
  );
  await assertFails(
    frames({ opcode: 2, payload: new Uint8Array(300), lengthBits: 64 }),
    /shortest form/,
  );
  const top = new Uint8Array([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1]);
  await assertFails(top, /top bit/);
  await assertFails(frames({ opcode: 2, payload: big }), /frame is longer than 1000 bytes/, 1009, {
    maxFrameSize: 1000,
    maxMessageSize: 1 << 20,
  });
  const huge = new Uint8Array([0x82, 127, 0, 0, 0, 1, 0, 0, 0, 0]); // 4 GiB announced, none sent
  await assertFails(huge, /frame is longer than/, 1009);
});

Deno.test("WsDecoderStream refuses a message above its bound, across fragments (1009)", async () => {
  const bytes = frames(
    { opcode: 2, fin: false, payload: new Uint8Array(600) },
    { opcode: 0, payload: new Uint8Array(600) },
  );
  await assertFails(bytes, /message is longer than 1000 bytes/, 1009, {
    maxFrameSize: 1000,
    maxMessageSize: 1000,
  });
});

Deno.test("WsDecoderStream refuses broken fragmentation", async () => {
  await assertFails(
    frames({ opcode: 0, payload: "a" }),
    /continuation frame comes outside a message/,
  );
  await assertFails(
    frames({ opcode: 1, fin: false, payload: "a" }, { opcode: 2, payload: "b" }),
    /new message starts before the last one ended/,
  );
  await assertFails(frames({ opcode: 1, fin: false, payload: "a" }), /ends inside a message/);
});

Deno.test("WsDecoderStream refuses text and close reasons that are not UTF-8 (1007), as soon as a fragment shows it", async () => {
  await assertFails(
    frames({ opcode: 1, payload: new Uint8Array([0xc3, 0x28]) }),
    /not UTF-8/,
    1007,
  );
  await assertFails(
    frames({ opcode: 1, payload: new Uint8Array([0xe2, 0x82]) }),
    /not UTF-8/,
    1007,
  );
  // The first fragment already holds an invalid byte: no need to wait for the end of the message.
  await assertFails(
    frames({ opcode: 1, fin: false, payload: new Uint8Array([0xff]) }),
    /not UTF-8/,
    1007,
  );
  const badReason = concat([closeBody(1000), new Uint8Array([0xff])]);
  await assertFails(frames({ opcode: 8, payload: badReason }), /close reason is not UTF-8/, 1007);
});

Deno.test("WsDecoderStream refuses bad close frames and anything after a close frame", async () => {
  await assertFails(frames({ opcode: 8, payload: new Uint8Array([3]) }), /single byte/);
  for (const code of [0, 999, 1004, 1005, 1006, 1015, 2999, 5000]) {
    await assertFails(
      frames({ opcode: 8, payload: closeBody(code) }),
      new RegExp(`invalid code ${code}`),
    );
  }
  const close = { opcode: 8, payload: closeBody(4000, "x") };
  await assertFails(frames(close, { opcode: 1, payload: "a" }), /follow/);
  await assertFails(concat([rawFrame(close), new Uint8Array([0x81])]), /follow|inside a frame/);
});

Deno.test("WsDecoderStream refuses a stream that ends inside a frame", async () => {
  const cut = frames({ opcode: 1, payload: "hello" }).subarray(0, 4);
  await assertFails(cut, /ends inside a frame/);
  await assertFails(new Uint8Array([0x82, 126, 1]), /ends inside a frame/);
});
