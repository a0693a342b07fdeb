import assert from "node:assert/strict";
import { ACME, appSetup, errorCode, eventually, processGone, running } from "./_app.ts";

type Received = string | Uint8Array;

/** Opens the bridge and collects what it sends until it closes. */
function connect(url: string) {
  const socket = new WebSocket(url, { headers: ACME });
  socket.binaryType = "arraybuffer";
  const received: Received[] = [];
  const opened = new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  const closed = new Promise<CloseEvent>((resolve) => socket.onclose = resolve);
  socket.onmessage = (event) => {
    received.push(typeof event.data === "string" ? event.data : new Uint8Array(event.data));
  };
  const json = () =>
    received.filter((m) => typeof m === "string").map((m) => JSON.parse(m as string));
  const output = (channel: number) =>
    new TextDecoder().decode(
      new Uint8Array(
        received.filter((m): m is Uint8Array => typeof m !== "string" && m[0] === channel)
          .flatMap((m) => [...m.subarray(1)]),
      ),
    );
  return { socket, received, opened, closed, json, output };
}

Deno.test("ws route echoes stdin through cat, reports the exit code and closes", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-ws");
  const ws = connect(`${app.base.replace("http", "ws")}/acme-ws/ws?cmd=cat`);
  await ws.opened;
  ws.socket.send(new TextEncoder().encode("hello"));
  await eventually(() => ws.output(1) === "hello", "cat echoes stdin");
  ws.socket.send(JSON.stringify({ type: "eof" }));
  const closed = await ws.closed;
  assert.equal(closed.code, 1000);
  const [started, exited] = ws.json();
  assert.equal(started.type, "started");
  assert.equal(typeof started.pid, "number");
  assert.deepEqual(exited, { type: "exited", code: 0 });
});

Deno.test("ws route passes args, stderr on channel 2 and a non-zero exit code", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-ws");
  const query = new URLSearchParams([["cmd", "sh"], ["arg", "-c"], [
    "arg",
    "echo out; echo err >&2; exit 3",
  ]]);
  const ws = connect(`${app.base.replace("http", "ws")}/acme-ws/ws?${query}`);
  await ws.closed;
  assert.deepEqual([ws.output(1), ws.output(2)], ["out\n", "err\n"]);
  assert.deepEqual(ws.json().at(-1), { type: "exited", code: 3 });
});

Deno.test("ws route accepts resize and signal on a terminal", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-ws");
  const ws = connect(`${app.base.replace("http", "ws")}/acme-ws/ws?cmd=cat&tty=1&rows=24&cols=80`);
  await ws.opened;
  await eventually(() => ws.json().some((m) => m.type === "started"), "started");
  ws.socket.send(JSON.stringify({ type: "resize", rows: 40, cols: 120 }));
  ws.socket.send(JSON.stringify({ type: "signal", signal: 9 }));
  await ws.closed;
  const last = ws.json().at(-1);
  assert.equal(last.type, "exited");
  assert.ok(!ws.json().some((m) => m.type === "error"), JSON.stringify(ws.json()));
});

Deno.test("ws route kills the process when the socket closes", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-ws");
  const ws = connect(`${app.base.replace("http", "ws")}/acme-ws/ws?cmd=sleep&arg=30`);
  await eventually(() => ws.json().some((m) => m.type === "started"), "started");
  assert.ok(app.env.cloud.processes().some((p) => p.cmd.includes("sleep")));
  ws.socket.close();
  await ws.closed;
  await processGone(app.env, "sleep");
});

Deno.test("ws route answers a bad control message with an invalid_request error and closes", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-ws");
  const ws = connect(`${app.base.replace("http", "ws")}/acme-ws/ws?cmd=cat`);
  await ws.opened;
  ws.socket.send(JSON.stringify({ type: "resize", rows: "big" }));
  const closed = await ws.closed;
  assert.equal(closed.code, 1011);
  assert.equal(ws.json().at(-1).error.code, "invalid_request");
  await processGone(app.env, "cat");
});

Deno.test("ws route refuses before the upgrade: policy 403, scope 404, bad query 400", async () => {
  await using app = await appSetup({ commands: ({ cmd }) => cmd === "cat" });
  await running(app.env, "acme-ws");
  const before = app.env.cloud.requests.length;
  const upgrade = { ...ACME, upgrade: "websocket" };
  const cases: [string, number, string][] = [
    ["/acme-ws/ws?cmd=rm", 403, "forbidden"],
    ["/globex-ws/ws?cmd=cat", 404, "not_found"],
    ["/acme-ws/ws", 400, "invalid_request"],
    ["/acme-ws/ws?cmd=cat&rows=0", 400, "invalid_request"],
    ["/acme%2Fws/ws?cmd=cat", 400, "invalid_request"],
  ];
  for (const [path, status, code] of cases) {
    const response = await app.request(path, { headers: upgrade });
    assert.deepEqual([response.status, await errorCode(response)], [status, code], path);
  }
  const plain = await app.request("/acme-ws/ws?cmd=cat", { headers: ACME });
  assert.deepEqual([plain.status, await errorCode(plain)], [400, "invalid_request"]);
  assert.equal(app.env.cloud.requests.length, before);
});
