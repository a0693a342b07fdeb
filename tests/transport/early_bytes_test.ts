// The bound on what a plain WebSocket keeps before its reader attaches. A fake socket stands in
// for the peer: the rule is about this module's own buffer, not about any runtime's socket.

import assert from "node:assert/strict";
import { ConnectionError } from "../../src/errors.ts";
import { type ByteSocket, MAX_EARLY_BYTES, openSocket } from "../../src/transport/web_socket.ts";
import { FakeSocket } from "./_fake_socket.ts";

async function open(): Promise<{ fake: FakeSocket; socket: ByteSocket }> {
  const fake = new FakeSocket();
  const socket = await openSocket("ws://127.0.0.1:1/agent", {
    headers: {},
    protocols: [],
    factory: () => fake,
    fetch: () => Promise.reject(new Error("unused")),
    label: "test socket",
  });
  return { fake, socket };
}

function collect(socket: ByteSocket): { bytes: () => number; ended: Promise<Error | undefined> } {
  let bytes = 0;
  let done: (error: Error | undefined) => void = () => {};
  const ended = new Promise<Error | undefined>((resolve) => done = resolve);
  socket.read({ bytes: (chunk) => void (bytes += chunk.byteLength), end: done });
  return { bytes: () => bytes, ended };
}

Deno.test("a plain socket keeps up to MAX_EARLY_BYTES for a reader that attaches late", async () => {
  const { fake, socket } = await open();
  for (let sent = 0; sent < MAX_EARLY_BYTES; sent += 1024 * 1024) fake.deliver(1024 * 1024);
  const reader = collect(socket);
  assert.equal(reader.bytes(), MAX_EARLY_BYTES);
  assert.equal(fake.closedWith, undefined);
  fake.dispatchEvent(new Event("close"));
  assert.equal(await reader.ended, undefined);
});

Deno.test("a plain socket that receives more before its reader attaches fails and closes", async () => {
  const { fake, socket } = await open();
  for (let sent = 0; sent <= MAX_EARLY_BYTES; sent += 1024 * 1024) fake.deliver(1024 * 1024);
  assert.equal(fake.closedWith, 1000);
  fake.deliver(1024); // after the failure: dropped, not kept
  const reader = collect(socket);
  const error = await reader.ended;
  assert.ok(error instanceof ConnectionError, String(error));
  assert.match(error.message, /^test socket: the server sent more than 16 MiB before it was read$/);
  assert.equal(reader.bytes(), 0);
});
