// The preview route's WebSocket bridge, against a Deno WebSocket server in a sandbox of the local
// cloud (tests/tcp/_ws_server.ts): messages both ways, closes passed on each way, every refusal a
// JSON error before the upgrade (and before any tunnel when a check of the route decides), the
// message bounds, and clients that stop reading or go away.
import assert from "node:assert/strict";
import type { PortAccess, SandboxRoutesOptions } from "../../src/hono/mod.ts";
import type { Sandbox } from "../../mod.ts";
import { deafServer, startServer, until } from "../tcp/_servers.ts";
import { serverCloses, startWsServer } from "../tcp/_ws_server.ts";
import { ACME, type AppSetup, appSetup, json, rawUpgrade, running, type Tenant } from "./_app.ts";
import { previewServer } from "./_preview_server.ts";

/** The WebSocket server's port; the two after it are for servers that refuse. */
const PORT = 7200;
/** The most the test process (app and cloud) may grow while a client reads none of a flood. */
const MAX_STALLED_GROWTH_MIB = 64;

type WsSetup = AppSetup & { sandbox: Sandbox; path: string; url: string };

async function wsSetup(options: Partial<SandboxRoutesOptions<Tenant>> = {}): Promise<WsSetup> {
  const app = await appSetup({
    ports: ({ port }: PortAccess) => port >= PORT && port <= PORT + 2,
    ...options,
  });
  const sandbox = await running(app.env, "acme-ws");
  const path = `/acme-ws/ports/${PORT}`;
  return Object.assign(app, { sandbox, path, url: `${app.base.replace("http", "ws")}${path}` });
}

function tunnels(app: AppSetup): number {
  return app.env.cloud.openTcpTunnels().length;
}

/** A Deno WebSocket client that keeps what it receives. */
function open(url: string, init: { protocols?: string[]; headers?: HeadersInit } = {}) {
  const socket = new WebSocket(url, { headers: ACME, ...init });
  socket.binaryType = "arraybuffer";
  const messages: (string | Uint8Array)[] = [];
  socket.onmessage = ({ data }) => {
    messages.push(typeof data === "string" ? data : new Uint8Array(data));
  };
  const opened = new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  const closed = new Promise<CloseEvent>((resolve) => socket.onclose = resolve);
  const next = async () => {
    await until(() => messages.length > 0, "a message");
    return messages.shift()!;
  };
  return { socket, opened, closed, next };
}

/** Waits until the sandbox's server has logged `count` closes, and gives them. */
async function closesSeen(sandbox: Sandbox, count: number): Promise<string[]> {
  for (let i = 0; i < 200; i++) {
    const closes = await serverCloses(sandbox);
    if (closes.length >= count) return closes;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the sandbox's server saw fewer than ${count} closes`);
}

/** An upgrade through the route over raw TCP, left open after the 101 head. */
async function rawSocket(app: WsSetup): Promise<Deno.TcpConn> {
  const url = new URL(app.base);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(url.port) });
  const request = [
    `GET ${url.pathname}${app.path}/ HTTP/1.1`,
    `host: ${url.host}`,
    `authorization: ${ACME.authorization}`,
    "upgrade: websocket",
    "connection: Upgrade",
    "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==",
    "sec-websocket-version: 13",
    "",
    "",
  ].join("\r\n");
  await conn.write(new TextEncoder().encode(request));
  const head = new Uint8Array(4096);
  const n = await conn.read(head);
  const text = new TextDecoder().decode(head.subarray(0, n ?? 0));
  assert.match(text, /^HTTP\/1\.1 101 /);
  return conn;
}

/** A client's (masked) text frame of fewer than 126 bytes. */
function maskedText(text: string): Uint8Array {
  const payload = new TextEncoder().encode(text);
  const mask = [0x12, 0x34, 0x56, 0x78];
  const frame = new Uint8Array(6 + payload.length);
  frame.set([0x81, 0x80 | payload.length, ...mask]);
  payload.forEach((byte, i) => frame[6 + i] = byte ^ mask[i % 4]!);
  return frame;
}

Deno.test("A WebSocket through the preview route reaches the sandbox's server: messages both ways, the subprotocol, its close; then the tunnel closes", async () => {
  await using app = await wsSetup({ preview: { stripQuery: ["token"] } });
  const server = await startWsServer(app.sandbox, PORT);
  const ws = open(`${app.url}/room/1?token=secret&x=1`, {
    protocols: ["chat", "other"],
    headers: { ...ACME, cookie: "session=app" },
  });
  await ws.opened;
  assert.equal(ws.socket.protocol, "chat");
  assert.equal(tunnels(app), 1);
  ws.socket.send("request");
  const request = JSON.parse(await ws.next() as string);
  assert.deepEqual([request.pathname, request.search], ["/room/1", "?x=1"]);
  assert.equal(request.headers["sec-websocket-protocol"], "chat");
  assert.equal(request.headers.authorization, undefined);
  assert.equal(request.headers.cookie, undefined);
  ws.socket.send("hello");
  assert.equal(await ws.next(), "hello");
  const big = new Uint8Array(3 << 20).map((_, i) => i % 251);
  ws.socket.send(big);
  assert.deepEqual(await ws.next(), big);
  ws.socket.send("bye");
  const closed = await ws.closed;
  assert.deepEqual([closed.code, closed.reason], [4002, "/room/1"]);
  await until(() => tunnels(app) === 0, "the tunnel closed");
  await server.kill();
});

Deno.test("A client's close reaches the sandbox's server with its code; a client that vanishes closes the tunnel too", async () => {
  await using app = await wsSetup();
  const server = await startWsServer(app.sandbox, PORT);
  const ws = open(`${app.url}/`);
  await ws.opened;
  ws.socket.close(3001, "done");
  assert.equal((await ws.closed).code, 3001);
  await until(() => tunnels(app) === 0, "the closed socket's tunnel closed");
  assert.deepEqual(await closesSeen(app.sandbox, 1), ["3001 done"]);
  const conn = await rawSocket(app);
  await until(() => tunnels(app) === 1, "the raw client's tunnel opened");
  conn.close();
  await until(() => tunnels(app) === 0, "the vanished client's tunnel closed");
  assert.deepEqual(await closesSeen(app.sandbox, 2), ["3001 done", "1000 "]);
  await server.kill();
});

Deno.test("The preview route's checks refuse an upgrade with a JSON error before any tunnel opens", async () => {
  await using app = await wsSetup({ preview: { origin: ["https://app.example"] } });
  const server = await startWsServer(app.sandbox, PORT);
  const before = app.env.cloud.requests.length;
  const refusals: [string, Record<string, string>, number, string][] = [
    [`${app.path}/`, {}, 401, "unauthorized"],
    [`${app.path}/`, { ...ACME, origin: "https://evil.example" }, 403, "forbidden"],
    [`${app.path}/`, { ...ACME, origin: "null" }, 403, "forbidden"],
    [`/acme-ws/ports/${PORT + 3}/`, ACME, 403, "forbidden"],
    [`/globex-ws/ports/${PORT}/`, ACME, 404, "not_found"],
  ];
  for (const [path, headers, status, code] of refusals) {
    const [got, body] = await rawUpgrade(app, path, headers);
    assert.deepEqual([got, (body as { error: { code: string } }).error.code], [status, code], path);
  }
  // Deno's server answers such a POST 400 itself; the route's own check, in process:
  const post = await app.request(`${app.path}/`, {
    method: "POST",
    headers: { ...ACME, upgrade: "websocket", connection: "Upgrade" },
  });
  assert.deepEqual([post.status, (await post.json()).error.code], [400, "invalid_request"]);
  assert.equal(app.env.cloud.requests.length, before, "no request reached the cloud");
  assert.equal(tunnels(app), 0);
  const [allowed] = await rawUpgrade(app, `${app.path}/`, {
    ...ACME,
    origin: "https://app.example",
  });
  assert.equal(allowed, 101);
  await server.kill();
});

Deno.test("An upgrade the sandbox does not accept is a JSON error, and its tunnel closes", async () => {
  await using app = await wsSetup({ preview: { maxHeadMs: 1000 } });
  const [refused, body] = await rawUpgrade(app, `${app.path}/`, ACME);
  assert.deepEqual([refused, (body as { error: { code: string } }).error.code], [
    502,
    "connection_refused",
  ]);
  const http = await startServer(app.sandbox, previewServer(PORT + 1));
  const [notWs, answer] = await rawUpgrade(app, `/acme-ws/ports/${PORT + 1}/`, ACME);
  assert.deepEqual([notWs, (answer as { error: { code: string } }).error.code], [
    502,
    "upstream_error",
  ]);
  const deaf = await startServer(app.sandbox, deafServer(PORT + 2));
  const [late, timeout] = await rawUpgrade(app, `/acme-ws/ports/${PORT + 2}/`, ACME);
  assert.deepEqual([late, (timeout as { error: { code: string } }).error.code], [504, "timeout"]);
  await until(() => tunnels(app) === 0, "the refused upgrades' tunnels closed");
  await http.kill();
  await deaf.kill();
});

Deno.test("Without a way to upgrade, the preview route answers an upgrade 501 unsupported", async () => {
  await using app = await wsSetup({ upgradeWebSocket: undefined });
  const [status, body] = await rawUpgrade(app, `${app.path}/`, ACME);
  assert.deepEqual([status, (body as { error: { code: string } }).error.code], [
    501,
    "unsupported",
  ]);
  assert.equal(tunnels(app), 0);
});

Deno.test("A message over preview.maxMessageBytes either way closes the client's socket with 1009 and the tunnel", async () => {
  await using app = await wsSetup({ preview: { maxMessageBytes: 1 << 20 } });
  const server = await startWsServer(app.sandbox, PORT);
  const fromSandbox = open(`${app.url}/`);
  await fromSandbox.opened;
  fromSandbox.socket.send(`big ${(1 << 20) + 1}`);
  assert.equal((await fromSandbox.closed).code, 1009);
  await until(() => tunnels(app) === 0, "the tunnel closed after the sandbox's big message");
  const fromClient = open(`${app.url}/`);
  await fromClient.opened;
  fromClient.socket.send(new Uint8Array((1 << 20) + 1));
  assert.equal((await fromClient.closed).code, 1009);
  await until(() => tunnels(app) === 0, "the tunnel closed after the client's big message");
  await server.kill();
});

Deno.test("A WebSocket client that stops reading holds back only its own tunnel: an exec in the same sandbox runs, the server does not keep the flood", async () => {
  await using app = await wsSetup();
  const server = await startWsServer(app.sandbox, PORT);
  const conn = await rawSocket(app);
  const rss = Deno.memoryUsage().rss;
  await conn.write(maskedText("flood 256"));
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const exec = await fetch(`${app.base}/acme-ws/exec`, json(ACME, { cmd: "echo", args: ["ok"] }));
  assert.equal((await exec.json()).stdout, "ok\n");
  const growth = (Deno.memoryUsage().rss - rss) / 1024 / 1024;
  console.log(
    `a client that reads nothing of a 256 MiB flood for 3 s: this process (app and cloud) grew ${
      growth.toFixed(1)
    } MiB`,
  );
  assert.ok(growth < MAX_STALLED_GROWTH_MIB, `grew ${growth.toFixed(1)} MiB`);
  assert.equal(tunnels(app), 1, "the stalled socket's tunnel is still open");
  let received = 0;
  for (const buffer = new Uint8Array(1 << 16); received < 8 << 20;) {
    const n = await conn.read(buffer);
    if (n === null) throw new Error(`the socket ended after ${received} bytes`);
    received += n;
  }
  conn.close();
  await until(() => tunnels(app) === 0, "the stalled client's tunnel closed");
  await server.kill();
});
