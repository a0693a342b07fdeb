import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import {
  encodeFrame,
  FrameDecoderStream,
  FrameEncoderStream,
  MAX_FRAME_SIZE,
} from "../../src/protocol/mod.ts";
import { EXAMPLE_D_EXITED } from "./_fixtures.ts";
import { hex } from "./_replay.ts";

Deno.test("encodeFrame writes the big-endian length, id and flags before the body", () => {
  const bytes = encodeFrame({ id: 0x01020304, flags: 0x05, body: new Uint8Array([0xa0, 0xa1]) });
  assert.deepEqual(bytes, hex("00 00 00 07 01 02 03 04 05 a0 a1"));
  assert.deepEqual(
    encodeFrame({ id: 1, flags: 1, body: EXAMPLE_D_EXITED.subarray(9) }),
    EXAMPLE_D_EXITED,
  );
  assert.deepEqual(
    encodeFrame({ id: 0xffff_ffff, flags: 0xff, body: new Uint8Array() }),
    hex("00 00 00 05 ff ff ff ff ff"),
  );
});

Deno.test("encodeFrame refuses a body that makes len exceed 4 MiB", () => {
  const limit = MAX_FRAME_SIZE - 5;
  assert.equal(
    encodeFrame({ id: 1, flags: 0, body: new Uint8Array(limit) }).length,
    MAX_FRAME_SIZE + 4,
  );
  assert.throws(
    () => encodeFrame({ id: 1, flags: 0, body: new Uint8Array(limit + 1) }),
    (error) =>
      error instanceof ProtocolError &&
      error.message.startsWith(
        "Cannot encode frame: length 4194305 exceeds the 4194304-byte limit",
      ),
  );
});

Deno.test("encodeFrame refuses an id or flags out of range", () => {
  const body = new Uint8Array();
  for (
    const frame of [{ id: -1, flags: 0 }, { id: 2 ** 32, flags: 0 }, { id: 1.5, flags: 0 }, {
      id: 1,
      flags: 256,
    }]
  ) {
    assert.throws(() => encodeFrame({ ...frame, body }), ProtocolError);
  }
});

Deno.test("FrameEncoderStream writes one chunk per frame that FrameDecoderStream reads back", async () => {
  const frames = [
    { id: 1, flags: 2, body: new Uint8Array([1, 2, 3]) },
    { id: 2, flags: 0, body: new Uint8Array() },
    { id: 3, flags: 1, body: new Uint8Array(70_000).fill(7) },
  ];
  const chunks = await Array.fromAsync(
    ReadableStream.from(frames).pipeThrough(new FrameEncoderStream()),
  );
  assert.deepEqual(chunks, frames.map(encodeFrame));
  const decoded = await Array.fromAsync(
    ReadableStream.from(chunks).pipeThrough(new FrameDecoderStream()),
  );
  assert.deepEqual(decoded, frames);
});

Deno.test("FrameEncoderStream errors on an oversized frame", async () => {
  const stream = ReadableStream.from([{ id: 1, flags: 0, body: new Uint8Array(MAX_FRAME_SIZE) }])
    .pipeThrough(new FrameEncoderStream());
  await assert.rejects(Array.fromAsync(stream), ProtocolError);
});
