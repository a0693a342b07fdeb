// The client WebSocket (handshake, codec, session) against Deno's own server over loopback:
// Deno.serve + Deno.upgradeWebSocket, reached through Deno.connect as the byte socket; then the
// session's closing deadline and its pongs against raw servers that misbehave on purpose.
import assert from "node:assert/strict";
import { ConnectionError } from "../../src/errors.ts";
import { DEFAULT_WS_LIMITS } from "../../src/ws/_ws_decoder_stream.ts";
import { type ByteSocket, webSocketOver } from "../../src/ws/_ws_session.ts";
import { closeBody, concat, rawFrame } from "./_frames.ts";
import { heldWrites, rawServer, switching, tcpSocket, write } from "./_raw_server.ts";

const MAX_HEAD = 64 * 1024;

/** A Deno server that echoes each message, closes with "bye" on demand, and picks `chat`. */
function echoServer() {
  const closes: { code: number; reason: string }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const offered = request.headers.get("sec-websocket-protocol")?.split(/, */) ?? [];
    const { socket, response } = Deno.upgradeWebSocket(request, {
      ...(offered.includes("chat") ? { protocol: "chat" } : {}),
    });
    socket.binaryType = "arraybuffer";
    socket.onmessage = (event) => {
      if (event.data === "close me") socket.close(4001, "bye");
      else socket.send(event.data);
    };
    socket.onclose = (event) => closes.push({ code: event.code, reason: event.reason });
    return response;
  });
  return { server, closes, port: server.addr.port };
}

async function open(port: number, protocols: string[] = []) {
  const socket = await tcpSocket(port);
  return webSocketOver(socket, {
    host: `127.0.0.1:${port}`,
    path: "/echo?x=1",
    protocols,
    maxHeadSize: MAX_HEAD,
  });
}

Deno.test("webSocketOver echoes text and binary with Deno's server, then closes with the server's answer", async () => {
  const { server, closes, port } = echoServer();
  const ws = await open(port, ["other", "chat"]);
  const { readable, writable, protocol } = await ws.opened;
  assert.equal(protocol, "chat");
  const writer = writable.getWriter();
  const reader = readable.getReader();
  const big = new Uint8Array(1 << 20).map((_, i) => (i * 7) % 256);
  await writer.write("héllo");
  await writer.write(new Uint8Array([1, 2, 3]));
  await writer.write(big);
  await writer.write("");
  assert.equal((await reader.read()).value, "héllo");
  assert.deepEqual((await reader.read()).value, new Uint8Array([1, 2, 3]));
  assert.deepEqual((await reader.read()).value, big);
  assert.equal((await reader.read()).value, "");
  reader.releaseLock();
  writer.releaseLock();
  ws.close({ closeCode: 4000, reason: "done" });
  assert.deepEqual(await ws.closed, { closeCode: 4000, reason: "done" });
  await server.shutdown();
  assert.deepEqual(closes, [{ code: 4000, reason: "done" }]);
});

Deno.test("webSocketOver ends its readable and resolves closed when the server closes", async () => {
  const { server, port } = echoServer();
  const ws = await open(port);
  const { readable, writable, protocol } = await ws.opened;
  assert.equal(protocol, "");
  const writer = writable.getWriter();
  await writer.write("a");
  await writer.write("close me");
  const messages: (string | Uint8Array)[] = [];
  for await (const message of readable) messages.push(message);
  assert.deepEqual(messages, ["a"]);
  assert.deepEqual(await ws.closed, { closeCode: 4001, reason: "bye" });
  await assert.rejects(writer.write("late"), /closing WebSocket/);
  await server.shutdown();
});

const text = new TextEncoder();

function rawSession(socket: ByteSocket, port: number, closeTimeoutMs?: number) {
  const request = { host: `127.0.0.1:${port}`, path: "/", protocols: [], maxHeadSize: MAX_HEAD };
  return webSocketOver(socket, request, DEFAULT_WS_LIMITS, closeTimeoutMs);
}

Deno.test("webSocketOver closes the socket and rejects closed when the server does not answer its close in time", async () => {
  const silences = {
    "never answers": () => {},
    "stops inside a frame": (conn: Deno.Conn) => write(conn, new Uint8Array([0x81, 5, 0x68])),
  };
  for (const [what, silence] of Object.entries(silences)) {
    await using server = rawServer(switching, async (frame, conn) => {
      if (frame.opcode === 8) await silence(conn);
    });
    const ws = rawSession(await tcpSocket(server.port), server.port, 200);
    await ws.opened;
    ws.close();
    await assert.rejects(ws.closed, (error) => {
      assert.ok(error instanceof ConnectionError, what);
      assert.equal(error.kind, "Connection");
      assert.match(error.message, /did not answer the WebSocket close within 200 ms/);
      return true;
    });
    const { frames } = await server.exchange; // it ends when the client closes the connection
    assert.deepEqual(frames.map((frame) => frame.opcode), [8], what);
  }
});

Deno.test({
  name:
    "webSocketOver resolves closed and clears its close deadline when the server answers in time",
  sanitizeOps: true, // off by default: it is what fails on a timer left behind
}, async () => {
  await using server = rawServer(switching, async (frame, conn) => {
    if (frame.opcode === 8) await write(conn, rawFrame({ opcode: 8, payload: frame.payload }));
  });
  const ws = rawSession(await tcpSocket(server.port), server.port, 60_000);
  await ws.opened;
  ws.close({ closeCode: 4000, reason: "done" });
  assert.deepEqual(await ws.closed, { closeCode: 4000, reason: "done" });
});

Deno.test("webSocketOver answers the latest of the pings that come while a pong waits for the socket", async () => {
  const pings = ["1", "2", "3"].map((payload) => rawFrame({ opcode: 9, payload }));
  await using server = rawServer(
    (request) =>
      concat([
        text.encode(switching(request)),
        ...pings,
        rawFrame({ opcode: 1, payload: "after" }),
      ]),
    async (frame, conn) => {
      const payload = new TextDecoder().decode(frame.payload);
      if (frame.opcode === 10) {
        await write(conn, rawFrame({ opcode: 1, payload: `pong ${payload}` }));
      }
      if (frame.opcode === 8) await write(conn, rawFrame({ opcode: 8, payload: closeBody(1000) }));
    },
  );
  const held = heldWrites(await tcpSocket(server.port));
  const ws = rawSession(held.socket, server.port);
  const reader = (await ws.opened).readable.getReader();
  assert.equal((await reader.read()).value, "after"); // so the three pings came, "1" still held
  held.release();
  assert.equal((await reader.read()).value, "pong 1"); // by now the next pong is queued
  ws.close();
  assert.deepEqual(await ws.closed, { closeCode: 1000, reason: "" });
  const { frames } = await server.exchange;
  assert.deepEqual(frames.map((frame) => [frame.opcode, [...frame.payload]]), [
    [10, [...text.encode("1")]],
    [10, [...text.encode("3")]],
    [8, [0x03, 0xe8]], // the client's 1000
  ]);
});
