// The relay handshake rules, over an in-memory byte socket fed with frames from the codec.
import assert from "node:assert/strict";
import { ProtocolError, RuntimeError, UnsupportedError } from "../../mod.ts";
import { encodeFrame, encodeMessage } from "../../src/protocol/mod.ts";
import type { ByteSink, ByteSocket } from "../../src/transport/web_socket.ts";
import { AgentConnection } from "../../src/wire/_agent_connection.ts";
import { startProcess } from "../../src/exec/exec_process.ts";

function words(a: number, b: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setUint32(0, a);
  new DataView(bytes.buffer).setUint32(4, b);
  return bytes;
}

const READY = { bootTimeNs: 1, initTimeNs: 2, readyTimeNs: 3, agentVersion: "test" };

function ready(version: number): Uint8Array {
  return encodeFrame(encodeMessage(0, "core.ready", READY, version));
}

/** A socket that delivers `chunks`, then stays open; what is written is collected. */
function socket(chunks: Uint8Array[]): ByteSocket & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  let sink: ByteSink | undefined;
  return {
    sent,
    backpressure: true,
    read(target) {
      sink = target;
      // One chunk a macrotask, as a socket delivers them: a test opens its session in between.
      (async () => {
        for (const chunk of chunks) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          await sink?.bytes(chunk);
        }
      })();
    },
    writable: new WritableStream({ write: (chunk) => void sent.push(chunk) }),
    close: () => sink?.end(),
  };
}

Deno.test("AgentConnection reads the current handshake and starts ids at the range's floor", async () => {
  const agent = await AgentConnection.open(
    socket([words(1000, 2000), ready(7)]),
    "agent",
    AbortSignal.timeout(1000),
  );
  assert.deepEqual(agent.handshake, { idStart: 1000, idEnd: 2000, generation: 7 });
  agent.close();
});

Deno.test("AgentConnection never hands out id 0 and negotiates the lower generation", async () => {
  const agent = await AgentConnection.open(
    socket([words(0, 3), ready(5)]),
    "agent",
    AbortSignal.timeout(1000),
  );
  assert.deepEqual(agent.handshake, { idStart: 1, idEnd: 3, generation: 5 });
  agent.close();
});

Deno.test("AgentConnection reads the legacy handshake as generation 1", async () => {
  const frame = ready(1);
  const offset = new Uint8Array(4);
  new DataView(offset.buffer).setUint32(0, 4096);
  const agent = await AgentConnection.open(
    socket([offset, frame]),
    "agent",
    AbortSignal.timeout(1000),
  );
  assert.equal(agent.handshake.idStart, 4097);
  assert.equal(agent.handshake.generation, 1);
  agent.close();
});

Deno.test("AgentConnection refuses a type the agent's generation does not know, before sending", async () => {
  const wire = socket([words(10, 20), ready(5)]);
  const agent = await AgentConnection.open(wire, "agent", AbortSignal.timeout(1000));
  const session = agent.openSession(false);
  await assert.rejects(
    session.send("core.ping", {}),
    (error: unknown) => error instanceof UnsupportedError && error.feature === "core.ping",
  );
  assert.equal(wire.sent.length, 0);
  await session.send("core.exec.signal", { signal: 9 });
  assert.equal(wire.sent.length, 1);
  agent.close();
});

Deno.test("AgentConnection skips ids in use and fails when the range is exhausted", async () => {
  const agent = await AgentConnection.open(
    socket([words(5, 7), ready(7)]),
    "agent",
    AbortSignal.timeout(1000),
  );
  const first = agent.openSession(false);
  agent.openSession(false);
  assert.throws(
    () => agent.openSession(false),
    (error: unknown) => error instanceof RuntimeError && /session id/.test(error.message),
  );
  first.close();
  agent.openSession(false);
  agent.close();
});

Deno.test("AgentConnection rejects an empty range and a first frame that is not core.ready", async () => {
  await assert.rejects(
    AgentConnection.open(socket([words(9, 9), ready(7)]), "agent", AbortSignal.timeout(1000)),
    ProtocolError,
  );
  const notReady = encodeFrame(encodeMessage(0, "core.pong", {}, 7));
  await assert.rejects(
    AgentConnection.open(socket([words(1, 9), notReady]), "agent", AbortSignal.timeout(1000)),
    (error: unknown) =>
      error instanceof ProtocolError && /core.pong instead of core.ready/.test(error.message),
  );
  await assert.rejects(
    AgentConnection.open(socket([words(1, 9)]), "agent", AbortSignal.timeout(100)),
    (error: unknown) => error instanceof DOMException && error.name === "TimeoutError",
  );
});

/** A frame whose type this library does not know, as a newer agent might send. */
function unknownFrame(id: number, flags: number): Uint8Array {
  const frame = encodeFrame(encodeMessage(id, "core.exec.stdout", { data: new Uint8Array(0) }, 7));
  const name = new TextEncoder().encode("core.exec.stdout");
  const at = frame.findIndex((_, i) => name.every((byte, j) => frame[i + j] === byte));
  frame.set(new TextEncoder().encode("core.exec.future"), at); // same length, same CBOR head
  frame[8] = flags;
  return frame;
}

Deno.test("Exec skips an unknown non-terminal message type and ends on an unknown terminal one", async () => {
  const started = encodeFrame(encodeMessage(7, "core.exec.started", { pid: 42 }, 7));
  const out = encodeFrame(
    encodeMessage(7, "core.exec.stdout", { data: new TextEncoder().encode("ok") }, 7),
  );
  const exited = encodeFrame(encodeMessage(7, "core.exec.exited", { code: 0 }, 7));

  const skip = await AgentConnection.open(
    socket([words(7, 9), ready(7), started, unknownFrame(7, 0), out, exited]),
    "agent",
    AbortSignal.timeout(1000),
  );
  const first = await startProcess(skip.openSession(false), {
    startSignal: undefined,
    signal: undefined,
    timeout: undefined,
  });
  assert.equal(first.pid, 42);
  const events = await Array.fromAsync(first.events);
  assert.deepEqual(events.map((e) => e.type), ["started", "stdout", "exited"]);

  const stop = await AgentConnection.open(
    socket([words(7, 9), ready(7), started, unknownFrame(7, 0x01)]),
    "agent",
    AbortSignal.timeout(1000),
  );
  const second = await startProcess(stop.openSession(false), {
    startSignal: undefined,
    signal: undefined,
    timeout: undefined,
  });
  await assert.rejects(
    second.exited,
    (error: unknown) =>
      error instanceof ProtocolError && /unknown core.exec.future/.test(error.message),
  );
});

Deno.test("Exec refuses a session that sends more than 64 messages before core.exec.started", async () => {
  const out = encodeFrame(encodeMessage(7, "core.exec.stdout", { data: new Uint8Array([1]) }, 7));
  const agent = await AgentConnection.open(
    socket([words(7, 9), ready(7), ...Array(65).fill(out)]),
    "agent",
    AbortSignal.timeout(1000),
  );
  await assert.rejects(
    startProcess(agent.openSession(false), {
      startSignal: undefined,
      signal: undefined,
      timeout: undefined,
    }),
    (error: unknown) =>
      error instanceof ProtocolError && /before core.exec.started/.test(error.message),
  );
  agent.close();
});
