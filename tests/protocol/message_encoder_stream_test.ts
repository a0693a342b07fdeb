import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import {
  encodeFrame,
  FLAG_TERMINAL,
  FrameEncoderStream,
  type Message,
  MessageDecoderStream,
  MessageEncoderStream,
} from "../../src/protocol/mod.ts";
import {
  CAPTURED_V05_CAT_REQUEST,
  CAPTURED_V05_STDIN_EOF,
  CAPTURED_V05_STDIN_HI,
  EXAMPLE_D_EXITED,
} from "./_fixtures.ts";
import { concat, replayMessages, toHex } from "./_replay.ts";

const SEED_SESSION: Message[] = [
  {
    id: 1,
    flags: 2,
    version: 5,
    type: "core.exec.request",
    payload: {
      cmd: "cat",
      args: [],
      env: [],
      cwd: "/",
      user: null,
      tty: false,
      rows: 24,
      cols: 80,
      rlimits: [],
    },
  },
  {
    id: 1,
    flags: 0,
    version: 5,
    type: "core.exec.stdin",
    payload: { data: Uint8Array.of(0x68, 0x69) },
  },
  { id: 1, flags: 0, version: 5, type: "core.exec.stdin", payload: { data: new Uint8Array() } },
];

Deno.test("MessageEncoderStream + FrameEncoderStream write the captured `cat` session", async () => {
  const chunks = await Array.fromAsync(
    ReadableStream.from(SEED_SESSION)
      .pipeThrough(new MessageEncoderStream())
      .pipeThrough(new FrameEncoderStream()),
  );
  assert.deepEqual(chunks.map(toHex), [
    toHex(CAPTURED_V05_CAT_REQUEST),
    toHex(CAPTURED_V05_STDIN_HI),
    toHex(CAPTURED_V05_STDIN_EOF),
  ]);
});

Deno.test("MessageEncoderStream keeps each message's own flags and version", async () => {
  const odd: Message = {
    id: 1,
    flags: 0,
    version: 9,
    type: "core.exec.exited",
    payload: { code: 0 },
  };
  const [frame] = await Array.fromAsync(
    ReadableStream.from([odd]).pipeThrough(new MessageEncoderStream()),
  );
  assert.equal(frame?.flags, 0);
  assert.equal(frame?.body[3], 9);
  const [exited] = await Array.fromAsync(
    ReadableStream.from([{ ...odd, flags: FLAG_TERMINAL, version: 5 }])
      .pipeThrough(new MessageEncoderStream())
      .pipeThrough(new FrameEncoderStream()),
  );
  assert.deepEqual(exited, EXAMPLE_D_EXITED);
});

Deno.test("MessageDecoderStream reads back what MessageEncoderStream writes", async () => {
  const frames = await Array.fromAsync(
    ReadableStream.from(SEED_SESSION).pipeThrough(new MessageEncoderStream()),
  );
  const decoded = await Array.fromAsync(
    ReadableStream.from(frames).pipeThrough(new MessageDecoderStream()),
  );
  assert.deepEqual(decoded, SEED_SESSION);
  assert.deepEqual(await replayMessages(concat(frames.map(encodeFrame)), 5), SEED_SESSION);
});

Deno.test("MessageEncoderStream errors on a payload that does not fit its type", async () => {
  const bad = {
    id: 2,
    flags: 0,
    version: 7,
    type: "core.exec.resize",
    payload: { rows: -1, cols: 1 },
  };
  await assert.rejects(
    Array.fromAsync(ReadableStream.from([bad as Message]).pipeThrough(new MessageEncoderStream())),
    (error) =>
      error instanceof ProtocolError &&
      error.message ===
        "Cannot encode message core.exec.resize on session 2: field `rows` must be a u16, got -1",
  );
});
