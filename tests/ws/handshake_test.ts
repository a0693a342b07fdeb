// The opening handshake and the session's failures against a raw TCP server that answers by
// hand: every answer that is not a valid 101 and every frame that breaks RFC 6455 rejects with a
// ProtocolError; a broken frame fails the connection with the close code it deserves.
import assert from "node:assert/strict";
import { ConnectionError, InvalidConfigError, ProtocolError } from "../../src/errors.ts";
import { webSocketOver } from "../../src/ws/_ws_session.ts";
import { closeBody, concat, rawFrame } from "./_frames.ts";
import { rawServer, switching, tcpSocket, write } from "./_raw_server.ts";

const text = new TextEncoder();
/** A close frame without a payload. */
const EMPTY_CLOSE = new Uint8Array([0x88, 0]);

async function open(port: number, protocols: string[] = [], path = "/") {
  return webSocketOver(await tcpSocket(port), {
    host: `127.0.0.1:${port}`,
    path,
    protocols,
    maxHeadSize: 4096,
  });
}

async function assertRefused(
  answer: (request: string) => string | Uint8Array,
  pattern: RegExp,
  hangUp = false,
) {
  await using server = rawServer(answer, () => {}, hangUp);
  const ws = await open(server.port, ["chat"]);
  const check = (error: unknown) => {
    assert.ok(error instanceof ProtocolError, String(error));
    assert.match(error.message, pattern);
    return true;
  };
  await assert.rejects(ws.opened, check);
  await assert.rejects(ws.closed, check);
}

Deno.test("The opening handshake takes the subprotocol the server chose among those offered", async () => {
  await using server = rawServer((request) =>
    concat([text.encode(switching(request, ["Sec-WebSocket-Protocol: b"])), EMPTY_CLOSE])
  );
  const ws = await open(server.port, ["a", "b"]);
  assert.equal((await ws.opened).protocol, "b");
  assert.deepEqual(await ws.closed, { closeCode: 1005, reason: "" });
});

Deno.test("The opening handshake writes the request RFC 6455 asks for", async () => {
  let seen = "";
  await using server = rawServer((request) => {
    seen = request;
    return concat([text.encode(switching(request)), EMPTY_CLOSE]);
  });
  const ws = await open(server.port, ["a", "b"], "/socket?x=1");
  await ws.opened;
  assert.deepEqual(await ws.closed, { closeCode: 1005, reason: "" });
  const lines = seen.split("\r\n");
  assert.equal(lines[0], "GET /socket?x=1 HTTP/1.1");
  assert.ok(lines.includes(`Host: 127.0.0.1:${server.port}`));
  assert.ok(lines.includes("Upgrade: websocket"));
  assert.ok(lines.includes("Connection: Upgrade"));
  assert.ok(lines.includes("Sec-WebSocket-Version: 13"));
  assert.ok(lines.includes("Sec-WebSocket-Protocol: a, b"));
  const key = /^Sec-WebSocket-Key: (.+)$/m.exec(seen)?.[1] ?? "";
  assert.equal(atob(key).length, 16);
});

Deno.test("The opening handshake refuses answers that are not a valid 101", async () => {
  await assertRefused(
    () => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
    /answered 404 Not Found instead of 101/,
  );
  await assertRefused(
    (request) =>
      switching(request).replace(/Sec-WebSocket-Accept: .*/, "Sec-WebSocket-Accept: AAAA"),
    /wrong Sec-WebSocket-Accept/,
  );
  await assertRefused(
    (request) => switching(request).replace("Upgrade: websocket", "Upgrade: h2c"),
    /does not upgrade to websocket/,
  );
  await assertRefused(
    (request) => switching(request).replace("Connection: Upgrade", "Connection: keep-alive"),
    /lacks Connection: upgrade/,
  );
  await assertRefused(
    (request) => switching(request, ["Sec-WebSocket-Protocol: other"]),
    /subprotocol "other", which was not offered/,
  );
  await assertRefused(
    (request) => switching(request, ["Sec-WebSocket-Extensions: permessage-deflate"]),
    /extension/,
  );
  await assertRefused(
    () => "HTTP/1.1 101 Switching",
    /closed the connection before answering/,
    true,
  );
  await assertRefused(
    () => `HTTP/1.1 101 OK\r\nX: ${"a".repeat(5000)}\r\n\r\n`,
    /longer than 4096/,
  );
});

Deno.test("The opening handshake refuses a bad path or subprotocol before anything is sent", async () => {
  await using server = rawServer(() => "");
  for (
    const [path, protocols] of [["no-slash", []], ["/a b", []], ["/\r\nX: y", []], ["/", ["a b"]]]
  ) {
    const ws = await open(server.port, protocols as string[], path as string);
    await assert.rejects(ws.opened, InvalidConfigError);
  }
  assert.equal((await server.exchange).request, "", "the server got no request");
  assert.throws(() => {
    const ws = webSocketOver({
      readable: new ReadableStream(),
      writable: new WritableStream(),
      close: () => Promise.resolve(),
    }, { host: "h", path: "/", protocols: [], maxHeadSize: 1 });
    ws.close({ closeCode: 1001 });
  }, InvalidConfigError);
});

Deno.test("The session answers a ping with a pong of the same payload", async () => {
  await using server = rawServer(
    (request) => concat([text.encode(switching(request)), rawFrame({ opcode: 9, payload: "hi" })]),
    async (frame, conn) => {
      if (frame.opcode === 10) await write(conn, rawFrame({ opcode: 8, payload: closeBody(1000) }));
    },
  );
  const ws = await open(server.port);
  const { readable } = await ws.opened;
  for await (const _ of readable) assert.fail("no message was sent");
  assert.deepEqual(await ws.closed, { closeCode: 1000, reason: "" });
  const { frames } = await server.exchange;
  assert.ok(frames.every((frame) => frame.masked));
  assert.deepEqual(frames.map((frame) => [frame.opcode, [...frame.payload]]), [
    [10, [...text.encode("hi")]],
    [8, [0x03, 0xe8]], // the server's 1000, echoed
  ]);
});

Deno.test("The session fails the connection with 1002 on a broken frame and rejects closed", async () => {
  await using server = rawServer((request) =>
    concat([text.encode(switching(request)), rawFrame({ opcode: 1, payload: "a", rsv: 2 })])
  );
  const ws = await open(server.port);
  const { readable } = await ws.opened;
  await assert.rejects(readable.getReader().read(), ProtocolError);
  await assert.rejects(ws.closed, /reserved bit/);
  const { frames } = await server.exchange;
  assert.deepEqual(frames.map((frame) => [frame.opcode, [...frame.payload]]), [[8, [0x03, 0xea]]]);
});

Deno.test("The session fails the connection with 1007 on text that is not UTF-8", async () => {
  await using server = rawServer((request) =>
    concat([
      text.encode(switching(request)),
      rawFrame({ opcode: 1, payload: new Uint8Array([0xff]) }),
    ])
  );
  const ws = await open(server.port);
  const { readable } = await ws.opened;
  await assert.rejects(readable.getReader().read(), /not UTF-8/);
  await assert.rejects(ws.closed, ProtocolError);
  const { frames } = await server.exchange;
  assert.deepEqual(frames.map((frame) => [frame.opcode, [...frame.payload]]), [[8, [0x03, 0xef]]]);
});

Deno.test("The session rejects closed with a ConnectionError when the server hangs up without a close frame", async () => {
  await using server = rawServer(
    (request) =>
      concat([text.encode(switching(request)), rawFrame({ opcode: 1, payload: "last" })]),
    () => {},
    true,
  );
  const ws = await open(server.port);
  const { readable } = await ws.opened;
  const reader = readable.getReader();
  assert.equal((await reader.read()).value, "last");
  await assert.rejects(reader.read(), ConnectionError);
  await assert.rejects(ws.closed, /ended without a close frame/);
});

Deno.test("The session sends close after a close() and resolves closed once the server answers", async () => {
  await using server = rawServer(
    (request) =>
      concat([text.encode(switching(request)), rawFrame({ opcode: 1, payload: "unread" })]),
    async (frame, conn) => {
      if (frame.opcode === 8) await write(conn, rawFrame({ opcode: 8, payload: frame.payload }));
    },
  );
  const ws = await open(server.port);
  await ws.opened; // the readable is never read: the session drains it to finish the handshake
  ws.close({ closeCode: 3001, reason: "later" });
  assert.deepEqual(await ws.closed, { closeCode: 3001, reason: "later" });
  const { frames } = await server.exchange;
  assert.deepEqual(frames.map((frame) => frame.opcode), [8]);
  assert.equal(new TextDecoder().decode(frames[0]!.payload.subarray(2)), "later");
});
