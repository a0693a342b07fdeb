// sandbox.webSocket against the local cloud: a Deno WebSocket server started in the sandbox
// (the test process's own deno binary, copied in), reached over a TCP tunnel of its own.
import assert from "node:assert/strict";
import {
  ConnectionError,
  ConnectionRefusedError,
  InvalidConfigError,
  type Microsandbox,
  type Sandbox,
} from "../../mod.ts";
import { setup } from "../_cloud.ts";
import { unsupportedOnV05 } from "../_unsupported.ts";
import { deafWebSocketServer, startServer, until } from "./_servers.ts";
import { startWsServer } from "./_ws_server.ts";

function sandboxIn(msb: Microsandbox, name: string): Promise<Sandbox> {
  return msb.sandboxes.create({ name, image: "python" });
}

Deno.test("sandbox.webSocket echoes messages with a server in the sandbox and ends with its close", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "ws-echo");
  const server = await startWsServer(sandbox, 8090);
  const ws = sandbox.webSocket(8090, "/room/1", { protocols: ["chat"] });
  const { readable, writable, protocol } = await ws.opened;
  assert.equal(protocol, "chat");
  assert.equal(env.cloud.openTcpTunnels().length, 1);
  const writer = writable.getWriter();
  const big = new Uint8Array(3 << 20).map((_, i) => i % 253);
  await writer.write("hello");
  await writer.write(big);
  await writer.write("bye");
  const messages: (string | Uint8Array)[] = [];
  for await (const message of readable) messages.push(message);
  assert.equal(messages[0], "hello");
  assert.deepEqual(messages[1], big);
  assert.equal(messages.length, 2);
  assert.deepEqual(await ws.closed, { closeCode: 4002, reason: "/room/1" });
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});

Deno.test("sandbox.webSocket's close() runs the closing handshake and closes the tunnel", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "ws-close");
  const server = await startWsServer(sandbox, 8091);
  const ws = sandbox.webSocket(8091);
  assert.equal((await ws.opened).protocol, "");
  ws.close({ closeCode: 3000, reason: "enough" });
  assert.deepEqual(await ws.closed, { closeCode: 3000, reason: "enough" });
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});

Deno.test("sandbox.webSocket's signal closes the connection and its tunnel, closed rejecting with the reason", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "ws-abort");
  const server = await startWsServer(sandbox, 8093);
  const controller = new AbortController();
  const ws = sandbox.webSocket(8093, "/", { signal: controller.signal });
  const { readable } = await ws.opened;
  assert.equal(env.cloud.openTcpTunnels().length, 1);
  const reason = new Error("the page went away");
  controller.abort(reason);
  await assert.rejects(readable.getReader().read(), (error) => error === reason);
  await assert.rejects(ws.closed, (error) => error === reason);
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});

Deno.test("sandbox.webSocket closes the tunnel after closeTimeoutMs when the server never answers its close", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "ws-deaf");
  const server = await startServer(sandbox, deafWebSocketServer(8094));
  const ws = sandbox.webSocket(8094, "/", { closeTimeoutMs: 500 });
  await ws.opened;
  assert.equal(env.cloud.openTcpTunnels().length, 1);
  ws.close();
  await assert.rejects(ws.closed, (error) => {
    assert.ok(error instanceof ConnectionError);
    assert.match(error.message, /did not answer the WebSocket close within 500 ms/);
    return true;
  });
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});

Deno.test("sandbox.webSocket rejects opened with ConnectionRefusedError when nothing listens", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "ws-refused");
  const ws = sandbox.webSocket(8092);
  await assert.rejects(ws.opened, ConnectionRefusedError);
  await assert.rejects(ws.closed, ConnectionRefusedError);
});

Deno.test("sandbox.webSocket refuses a bad port, path, subprotocol, bound or close timeout before any tunnel opens", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "ws-bad");
  assert.throws(() => sandbox.webSocket(0), InvalidConfigError);
  assert.throws(() => sandbox.webSocket(8000, "/", { maxMessageSize: -1 }), InvalidConfigError);
  assert.throws(() => sandbox.webSocket(8000, "no-slash"), InvalidConfigError);
  assert.throws(() => sandbox.webSocket(8000, "/", { protocols: ["a b"] }), InvalidConfigError);
  for (const closeTimeoutMs of [0, -1, Number.NaN, Infinity, 2 ** 31]) {
    assert.throws(() => sandbox.webSocket(8000, "/", { closeTimeoutMs }), (error) => {
      assert.ok(error instanceof InvalidConfigError, String(closeTimeoutMs));
      assert.equal(error.kind, "InvalidConfig");
      assert.equal(error.status, undefined);
      assert.match(error.message, /closeTimeoutMs must be a positive number up to 2147483647/);
      return true;
    });
  }
  assert.equal(env.cloud.liveSockets(), 0);
});

Deno.test('sandbox.webSocket on wire "v0.5" is Unsupported in the seed\'s words, before any request', async () => {
  await using env = await setup("v0.5");
  const sandbox = await env.msb.sandboxes.create({ name: "seed", image: "python" });
  const requests = env.cloud.requests.length;
  assert.throws(() => sandbox.webSocket(8000), unsupportedOnV05("webSocket"));
  assert.equal(env.cloud.requests.length, requests);
});
