// How one socket's sessions share it: a session whose reader is behind holds the socket back only
// when it is alone on a socket that can push back; otherwise it fails alone past its bound.
import assert from "node:assert/strict";
import { ConnectionError } from "../../mod.ts";
import { encodeFrame, encodeMessage, FLAG_TERMINAL } from "../../src/protocol/mod.ts";
import type { ByteSocket } from "../../src/transport/web_socket.ts";
import { MAX_UNREAD_BYTES, sessionBounds, WAIT_AT_BYTES } from "../../src/wire/_session_queue.ts";
import { SocketSessions } from "../../src/wire/_socket_sessions.ts";

const SPEECH = { version: 7, generation: 7 };
const CHUNK = new Uint8Array(64 * 1024);

/** A socket whose reads the test drives through the sessions' sink; writes are dropped. */
function idleSocket(): ByteSocket {
  return {
    backpressure: true,
    read() {},
    writable: new WritableStream(),
    close() {},
  };
}

function stdout(id: number): Uint8Array {
  return encodeFrame(encodeMessage(id, "core.exec.stdout", { data: CHUNK }, 7));
}

function exited(id: number): Uint8Array {
  return encodeFrame(encodeMessage(id, "core.exec.exited", { code: 0 }, 7));
}

Deno.test("SocketSessions never waits for a shared session, and fails it alone past its bound", async () => {
  const sessions = new SocketSessions(idleSocket(), SPEECH, "test socket");
  const stalled = sessions.open(1, sessionBounds(false, true));
  const other = sessions.open(2, sessionBounds(false, true));
  const reader = other.messages.getReader();
  let waits = 0;
  for (let sent = 0; sent <= MAX_UNREAD_BYTES; sent += CHUNK.byteLength) {
    if (sessions.bytes(stdout(1))) waits++;
  }
  assert.equal(waits, 0);
  await assert.rejects(
    stalled.messages.getReader().read(),
    (error: unknown) =>
      error instanceof ConnectionError &&
      error.message ===
        `test socket, session 1: more than ${MAX_UNREAD_BYTES} received bytes were not read; ` +
          "read faster, or use a runtime with read backpressure (Deno with --unstable-net)",
  );
  sessions.bytes(stdout(2));
  sessions.bytes(exited(2));
  const first = await reader.read();
  assert.equal(first.value?.type, "core.exec.stdout");
  const last = await reader.read();
  assert.equal(last.value?.type, "core.exec.exited");
  assert.equal(last.value?.flags, FLAG_TERMINAL);
  assert.equal((await reader.read()).done, true);
  assert.equal(sessions.size, 0);
});

Deno.test("SocketSessions holds the socket for a session alone on it until its reader reads", async () => {
  const sessions = new SocketSessions(idleSocket(), SPEECH, "test socket");
  const session = sessions.open(1, sessionBounds(true, true));
  let wait: Promise<void> | undefined;
  let sent = 0;
  while (!wait) {
    wait = sessions.bytes(stdout(1));
    sent += CHUNK.byteLength;
  }
  assert.equal(sent, WAIT_AT_BYTES);
  let released = false;
  wait.then(() => released = true);
  const reader = session.messages.getReader();
  await reader.read();
  await wait;
  assert.ok(released);
});

Deno.test("SocketSessions rejects a send on a socket that died under it with a ConnectionError", async () => {
  const dead = new TypeError("the runtime's own words");
  const socket: ByteSocket = {
    backpressure: true,
    read() {},
    writable: new WritableStream({
      write() {
        throw dead;
      },
    }),
    close() {},
  };
  const session = new SocketSessions(socket, SPEECH, "test socket").open(
    1,
    sessionBounds(true, true),
  );
  await assert.rejects(session.send("core.exec.signal", { signal: 9 }), (error: unknown) => {
    assert.ok(error instanceof ConnectionError, String(error));
    assert.equal(error.message, "test socket: the socket failed while sending core.exec.signal");
    assert.equal(error.cause, dead);
    return true;
  });
});
