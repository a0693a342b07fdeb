// The client WebSocket (handshake, codec, session) against Deno's own server over loopback:
// Deno.serve + Deno.upgradeWebSocket, reached through Deno.connect as the byte socket.
import assert from "node:assert/strict";
import { webSocketOver } from "../../src/ws/_ws_session.ts";
import { tcpSocket } from "./_raw_server.ts";

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
