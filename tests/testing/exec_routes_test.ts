// The exec WebSocket routes of both generations, end to end over real sockets: golden bytes,
// stdin/stdout/stderr, exit codes, signals, cwd and env, spawn failures, terminals, the relay
// handshake, multiplexing, protocol errors, backpressure, and the checks before the upgrade.
import assert from "node:assert/strict";
import { encodeFrame, encodeMessage } from "../../src/protocol/mod.ts";
import { descendants } from "../../src/testing/exec/_process_table.ts";
import { type LocalCloud, startLocalCloud } from "../../src/testing/mod.ts";
import { call, create } from "./_client.ts";
import {
  concat,
  ExecClient,
  execRequest,
  runningSandbox,
  SlowWebSocket,
  upgradeRequest,
} from "./_exec_client.ts";

const ROUTES = [
  { generation: "v0.5", id: 1, version: 5 },
  { generation: "current", id: 1000, version: 7 },
] as const;

function hex(text: string): Uint8Array {
  return Uint8Array.from(text.trim().split(/\s+/), (byte) => parseInt(byte, 16));
}

/** Starts a cloud with a running sandbox and an open exec socket (past the handshake). */
async function open(
  generation: "v0.5" | "current",
  options: Parameters<typeof startLocalCloud>[0] = {},
): Promise<{ cloud: LocalCloud; sandbox: string; client: ExecClient } & AsyncDisposable> {
  const cloud = await startLocalCloud({ generation, bootDelayMs: 0, stopDelayMs: 0, ...options });
  const sandbox = await runningSandbox(cloud, "box");
  const client = await ExecClient.connect(cloud, sandbox);
  if (generation === "current") assert.equal((await client.next(0))?.type, "core.ready");
  return {
    cloud,
    sandbox,
    client,
    [Symbol.asyncDispose]: async () => {
      await client.close();
      await cloud.close();
    },
  };
}

async function waitUntil(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

for (const { generation, id, version } of ROUTES) {
  Deno.test(`exec (${generation}): echo hi writes "hi\\n" and exits 0`, async () => {
    await using setup = await open(generation);
    const result = await setup.client.run(id, execRequest("echo", ["hi"]));
    assert.deepEqual(result.messages.map((m) => m.type), [
      "core.exec.started",
      "core.exec.stdout",
      "core.exec.exited",
    ]);
    assert.equal(result.stdout, "hi\n");
    assert.equal(result.code, 0);
    for (const message of result.messages) {
      assert.equal(message.id, id);
      assert.equal(message.version, version);
    }
  });

  Deno.test(`exec (${generation}): stdin streams to cat`, async () => {
    await using setup = await open(generation);
    const { client } = setup;
    client.send(id, "core.exec.request", execRequest("cat"));
    for (const part of ["one ", "two ", "three"]) {
      client.send(id, "core.exec.stdin", { data: new TextEncoder().encode(part) });
    }
    client.send(id, "core.exec.stdin", { data: new Uint8Array() });
    const result = await client.collect(id);
    assert.equal(result.stdout, "one two three");
    assert.equal(result.code, 0);
  });

  Deno.test(`exec (${generation}): 4 MB of stdin through sha256sum`, async () => {
    await using setup = await open(generation);
    const { client } = setup;
    const data = new Uint8Array(4 * 1024 * 1024);
    for (let at = 0; at < data.length; at += 65536) {
      crypto.getRandomValues(data.subarray(at, at + 65536));
    }
    client.send(id, "core.exec.request", execRequest("sha256sum"));
    for (let at = 0; at < data.length; at += 200_000) {
      client.send(id, "core.exec.stdin", { data: data.subarray(at, at + 200_000) });
    }
    client.send(id, "core.exec.stdin", { data: new Uint8Array() });
    const result = await client.collect(id);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
    const expected = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    assert.equal(result.stdout, `${expected}  -\n`);
    assert.equal(result.code, 0);
  });

  Deno.test(`exec (${generation}): stderr, exit codes, and -1 when killed`, async () => {
    await using setup = await open(generation, {});
    const result = await setup.client.run(id, execRequest("sh", ["-c", "echo bad >&2; exit 3"]));
    assert.equal(result.stderr, "bad\n");
    assert.equal(result.stdout, "");
    assert.equal(result.code, 3);
    const client = await ExecClient.connect(setup.cloud, setup.sandbox);
    try {
      const killed = await client.run(id + 1, execRequest("sh", ["-c", "kill -9 $$"]));
      assert.equal(killed.code, -1);
    } finally {
      await client.close();
    }
  });

  Deno.test(`exec (${generation}): exec.signal ends sleep 60 and the process is gone`, async () => {
    await using setup = await open(generation);
    const { client, cloud } = setup;
    client.send(id, "core.exec.request", execRequest("sleep", ["60"]));
    const started = await client.next(id);
    assert.equal(started?.type, "core.exec.started");
    assert.equal(cloud.processes().length, 1);
    assert.equal(cloud.processes()[0]?.cmd, "sleep");
    assert.equal(cloud.processes()[0]?.sandbox, setup.sandbox);
    client.send(id, "core.exec.signal", { signal: 15 });
    const result = await client.collect(id);
    assert.equal(result.code, -1);
    assert.deepEqual(cloud.processes(), []);
  });

  Deno.test(`exec (${generation}): cwd and env are applied`, async () => {
    await using setup = await open(generation);
    const { client } = setup;
    const made = await client.run(id, execRequest("mkdir", ["-p", "work/sub"]));
    assert.equal(made.code, 0);
    const second = await ExecClient.connect(setup.cloud, setup.sandbox);
    if (generation === "current") await second.next(0);
    try {
      const result = await second.run(
        id,
        execRequest("sh", ["-c", 'basename "$PWD"; echo "$A-$B"'], {
          cwd: "/work/sub",
          env: ["A=1", "B=two=2"],
        }),
      );
      assert.equal(result.stdout, "sub\n1-two=2\n");
      assert.equal(result.code, 0);
    } finally {
      await second.close();
    }
  });

  Deno.test(`exec (${generation}): spawn failures are exec.failed with agentd's kinds`, async () => {
    await using setup = await open(generation);
    const cases: [string, Parameters<typeof execRequest>, string, string][] = [
      ["not_found", ["no-such-program-here"], "ENOENT", "execvp"],
      ["bad_cwd", ["true", [], { cwd: "/does/not/exist" }], "ENOENT", "chdir"],
    ];
    let next = id;
    for (const [kind, args, errnoName, stage] of cases) {
      const client = await ExecClient.connect(setup.cloud, setup.sandbox);
      try {
        const result = await client.run(next++, execRequest(...args));
        assert.equal(result.failed?.kind, kind);
        assert.equal(result.failed?.errnoName, errnoName);
        assert.equal(result.failed?.stage, stage);
        assert.equal(result.messages.length, 1, "no exec.started before exec.failed");
      } finally {
        await client.close();
      }
    }
    const script = "printf '#!/bin/sh\\necho hi\\n' > plain.sh; chmod 644 plain.sh";
    assert.equal((await setup.client.run(next++, execRequest("sh", ["-c", script]))).code, 0);
    const client = await ExecClient.connect(setup.cloud, setup.sandbox);
    try {
      const denied = await client.run(next++, execRequest("./plain.sh"));
      assert.equal(denied.failed?.kind, "permission_denied");
      assert.equal(denied.failed?.errno, 13);
    } finally {
      await client.close();
    }
  });

  Deno.test(`exec (${generation}): a terminal, or pty_setup_failed without script`, async () => {
    await using setup = await open(generation);
    const result = await setup.client.run(id, execRequest("tty", [], { tty: true }));
    if (await hasScript()) {
      assert.match(result.stdout, /^\/dev\/pts\/\d+\r\n$/);
      assert.equal(result.code, 0);
    } else {
      assert.equal(result.failed?.kind, "pty_setup_failed");
    }
  });

  Deno.test(`exec (${generation}): closing the socket kills the process`, async () => {
    await using setup = await open(generation);
    const { client, cloud } = setup;
    client.send(id, "core.exec.request", execRequest("sleep", ["60"]));
    assert.equal((await client.next(id))?.type, "core.exec.started");
    assert.equal(cloud.processes().length, 1);
    await client.close();
    await waitUntil(() => cloud.processes().length === 0, "the process to end");
  });

  Deno.test(`exec (${generation}): stopping the sandbox kills its commands`, async () => {
    await using setup = await open(generation);
    const { client, cloud } = setup;
    client.send(id, "core.exec.request", execRequest("sleep", ["60"]));
    assert.equal((await client.next(id))?.type, "core.exec.started");
    const stop = generation === "current"
      ? `/v1/sandboxes/${setup.sandbox}/stop`
      : "/v1/sandboxes/by-name/box/stop";
    assert.equal((await call(cloud, "POST", stop)).status, 200);
    const result = await client.collect(id);
    assert.equal(result.code, -1);
    assert.deepEqual(cloud.processes(), []);
    // The agent socket closes because the sandbox stopped; the seed's after its exit frame.
    const code = (await client.closed).code;
    assert.ok(generation === "current" ? code === 1001 : code === 1000 || code === 1001, `${code}`);
  });

  Deno.test(`exec (${generation}): invalid flags, payloads and types get core.error`, async () => {
    await using setup = await open(generation);
    const { client } = setup;
    client.send(id, "core.exec.request", execRequest("true"), 0x00);
    const flags = await client.next(id);
    assert.equal(flags?.type, "core.error");
    assert.equal(flags.flags, 0x01);
    assert.equal(flags.type === "core.error" && flags.payload.kind, "invalid_flags");
    assert.equal(flags.type === "core.error" && flags.payload.offendingType, "core.exec.request");
    // {v, t: "core.exec.request", p: <{}>}: no cmd.
    const t = [...new TextEncoder().encode("core.exec.request")];
    const body = [0xa3, 0x61, 0x76, version, 0x61, 0x74, 0x71, ...t, 0x61, 0x70, 0x41, 0xa0];
    client.sendRaw(encodeFrame({ id, flags: 0x02, body: Uint8Array.from(body) }));
    const payload = await client.next(id);
    assert.equal(payload?.type === "core.error" && payload.payload.kind, "invalid_payload");
    // {v, t: "core.new", p: b""}
    const unknown = [0xa3, 0x61, 0x76, version, 0x61, 0x74, 0x68];
    unknown.push(...new TextEncoder().encode("core.new"), 0x61, 0x70, 0x40);
    client.sendRaw(encodeFrame({ id, flags: 0, body: Uint8Array.from(unknown) }));
    const type = await client.next(id);
    assert.equal(type?.type === "core.error" && type.payload.kind, "unsupported_message_type");
    // The socket still serves a proper request afterwards.
    const result = await client.run(id, execRequest("echo", ["ok"]));
    assert.equal(result.stdout, "ok\n");
  });
}

Deno.test("exec (v0.5): the frames are the seed's bytes (golden)", async () => {
  await using setup = await open("v0.5");
  const { client } = setup;
  // The captured `echo hi` request of SDK 0.5.10.
  client.sendRaw(hex(`
    00 00 00 61 00 00 00 01 02 a3 61 76 05 61 74 71 63 6f 72 65 2e 65 78 65 63 2e 72 65 71 75
    65 73 74 61 70 58 40 a9 63 63 6d 64 64 65 63 68 6f 64 61 72 67 73 81 62 68 69 63 65 6e 76
    80 63 63 77 64 61 2f 64 75 73 65 72 f6 63 74 74 79 f4 64 72 6f 77 73 18 18 64 63 6f 6c 73
    18 50 67 72 6c 69 6d 69 74 73 80`));
  const result = await client.collect(1);
  assert.equal(result.code, 0);
  const [, stdout, exited] = client.rawMessages;
  assert.deepEqual(
    stdout,
    hex(`00 00 00 29 00 00 00 01 00 a3 61 76 05 61 74 70 63 6f 72 65 2e 65 78 65
      63 2e 73 74 64 6f 75 74 61 70 4a a1 64 64 61 74 61 43 68 69 0a`),
  );
  assert.deepEqual(
    exited,
    hex(`00 00 00 26 00 00 00 01 01 a3 61 76 05 61 74 70 63 6f 72 65 2e 65 78 65
      63 2e 65 78 69 74 65 64 61 70 47 a1 64 63 6f 64 65 00`),
  );
  assert.equal((await client.closed).code, 1000, "the server closes after the exit frame");
});

Deno.test("exec (v0.5): the seed's cat with stdin bytes (golden request bytes)", async () => {
  await using setup = await open("v0.5");
  const { client } = setup;
  const request = encodeFrame(encodeMessage(1, "core.exec.request", execRequest("cat"), 5));
  assert.equal(request.length, 97);
  client.sendRaw(concat([
    request,
    hex(`00 00 00 27 00 00 00 01 00 a3 61 76 05 61 74 6f 63 6f 72 65 2e 65 78 65 63 2e 73 74 64 69
      6e 61 70 49 a1 64 64 61 74 61 42 68 69`),
    hex(`00 00 00 25 00 00 00 01 00 a3 61 76 05 61 74 6f 63 6f 72 65 2e 65 78 65 63 2e 73 74 64 69
      6e 61 70 47 a1 64 64 61 74 61 40`),
  ]));
  const result = await client.collect(1);
  assert.equal(result.stdout, "hi");
  assert.equal(result.code, 0);
});

Deno.test("exec (current): the relay handshake and the captured request (golden)", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 0 });
  const sandbox = await runningSandbox(cloud, "cap6");
  const client = await ExecClient.connect(cloud, sandbox);
  try {
    const ready = await client.next(0);
    assert.deepEqual(client.rawMessages[0], hex("00 00 03 e8 00 00 07 d0"));
    assert.equal(ready?.type, "core.ready");
    assert.equal(ready.flags, 0);
    assert.equal(ready.version, 7);
    assert.equal(client.messageSizes.length, 2, "the id range, then the ready frame");
    client.sendRaw(hex(`
      00 00 00 65 00 00 03 e8 02 a3 61 76 07 61 74 71 63 6f 72 65 2e 65 78 65 63 2e 72 65 71 75
      65 73 74 61 70 58 44 a9 63 63 6d 64 64 65 63 68 6f 64 61 72 67 73 81 62 68 69 63 65 6e 76
      81 63 41 3d 31 63 63 77 64 61 2f 64 75 73 65 72 f6 63 74 74 79 f4 64 72 6f 77 73 18 18 64
      63 6f 6c 73 18 50 67 72 6c 69 6d 69 74 73 80`));
    const result = await client.collect(1000);
    assert.equal(result.stdout, "hi\n");
    assert.equal(result.code, 0);
    assert.equal(client.socket.readyState, WebSocket.OPEN, "the agent socket stays open");
  } finally {
    await client.close();
    await cloud.close();
  }
});

Deno.test("exec (current): agentIdRange sets the granted ids", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 0, agentIdRange: [5, 9] });
  const sandbox = await runningSandbox(cloud, "range");
  const client = await ExecClient.connect(cloud, sandbox);
  try {
    await client.next(0);
    assert.deepEqual(client.prelude, [0, 0, 0, 5, 0, 0, 0, 9]);
    for (const outside of [4, 9, 0]) {
      client.send(outside, "core.exec.request", execRequest("true"));
      const error = await client.next(outside);
      assert.equal(error?.type === "core.error" && error.payload.kind, "invalid_session");
    }
    assert.equal((await client.run(8, execRequest("true"))).code, 0);
  } finally {
    await client.close();
  }
  await assert.rejects(startLocalCloud({ agentIdRange: [10, 10] }), RangeError);
  await assert.rejects(startLocalCloud({ agentIdRange: [0, 1] }), RangeError);
});

Deno.test("exec (current): 60 concurrent sessions on one agent socket", async () => {
  await using setup = await open("current");
  const { client } = setup;
  const ids = Array.from({ length: 60 }, (_, i) => 1000 + i);
  for (const id of ids) {
    client.send(
      id,
      "core.exec.request",
      execRequest("sh", ["-c", `sleep 0.2; echo session-${id}`]),
    );
  }
  await waitUntil(() => setup.cloud.processes().length >= 30, "many live processes at once");
  const results = await Promise.all(ids.map((id) => client.collect(id)));
  results.forEach((result, i) => {
    assert.equal(result.stdout, `session-${ids[i]}\n`);
    assert.equal(result.code, 0);
  });
});

Deno.test("exec (current): a session id in use is refused; follow-ups on unknown ids are ignored", async () => {
  await using setup = await open("current");
  const { client } = setup;
  client.send(1000, "core.exec.request", execRequest("sleep", ["60"]));
  assert.equal((await client.next(1000))?.type, "core.exec.started");
  client.send(1000, "core.exec.request", execRequest("true"));
  const error = await client.next(1000);
  assert.equal(error?.type === "core.error" && error.payload.kind, "invalid_session");
  client.send(1001, "core.exec.stdin", { data: new Uint8Array([1]) });
  client.send(1001, "core.exec.signal", { signal: 9 });
  client.send(1000, "core.exec.signal", { signal: 9 });
  assert.equal((await client.collect(1000)).code, -1);
  client.send(1002, "core.fs.request", { op: { Stat: { path: "/", followSymlink: true } } });
  const fs = await client.next(1002);
  assert.equal(fs?.type === "core.fs.response" && fs.payload.ok, true);
  client.send(1004, "core.tcp.connect", { host: "127.0.0.1", port: 1 });
  const tcp = await client.next(1004);
  assert.match(tcp?.type === "core.tcp.failed" ? tcp.payload.error : "", /Connection refused/);
  client.send(1003, "core.ping", {});
  assert.equal((await client.next(1003))?.type, "core.pong");
  assert.equal(client.messageSizes.length, 2 + 6, "nothing answered the ignored follow-ups");
});

Deno.test("exec (current): a slow reader holds back a 50 MB stdout", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 0 });
  const sandbox = await runningSandbox(cloud, "big");
  const slow = await SlowWebSocket.connect(cloud, `/v1/sandboxes/${sandbox}/agent`);
  try {
    assert.equal((await slow.readMessage())?.length, 8);
    await slow.readMessage(); // core.ready
    const total = 50_000_000;
    await slow.send(
      encodeFrame(
        encodeMessage(
          1000,
          "core.exec.request",
          execRequest("head", ["-c", `${total}`, "/dev/zero"]),
        ),
      ),
    );
    await slow.readMessage(); // core.exec.started
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(cloud.processes().length, 1, "head is still running: blocked on its pipe");
    const written = await bytesWritten(cloud.processes()[0]!.pid, "head");
    // The pipe (64 KiB), the server's 1 MiB bound, loopback socket buffers (a few MiB).
    assert.ok(written < 16_000_000, `head wrote ${written} bytes while the client read none`);
    let received = 0;
    let exited = false;
    while (true) {
      const message = await slow.readMessage();
      if (!message) break;
      received += message.length;
      if (message[8] === 0x01) {
        exited = true;
        break;
      }
    }
    assert.ok(exited);
    assert.ok(received > total, `received ${received}`);
    assert.ok(received < total * 1.01);
  } finally {
    slow.close();
  }
});

Deno.test("exec: the checks before the upgrade answer like REST", async () => {
  for (const { generation } of ROUTES) {
    await using cloud = await startLocalCloud({ generation, bootDelayMs: 0 });
    const route = generation === "v0.5" ? "exec.cbor" : "agent";
    const protocol = generation === "v0.5" ? "msb.cbor" : undefined;
    const running = await runningSandbox(cloud, "running");
    const created = (await create(cloud, "created")).id;
    const path = (sandbox: string) => `/v1/sandboxes/${sandbox}/${route}`;
    const noKey = await upgrade(cloud, path(running), { protocol, key: "wrong" });
    assert.equal(noKey.status, 401);
    assert.equal(JSON.parse(noKey.body).error.code, "invalid_api_key");
    const missing = await upgrade(cloud, path(crypto.randomUUID()), { protocol });
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body).error.code, "sandbox_not_found");
    const stopped = await upgrade(cloud, path(created), { protocol });
    assert.equal(stopped.status, 409);
    assert.equal(JSON.parse(stopped.body).error.code, "sandbox_not_running");
    const plain = await call(cloud, "GET", path(running));
    assert.equal(plain.status, 400);
    if (generation === "v0.5") {
      const noProtocol = await upgrade(cloud, path(running), {});
      assert.equal(noProtocol.status, 400);
      assert.match(JSON.parse(noProtocol.body).error.message, /msb\.cbor/);
      const echoed = await upgrade(cloud, path(running), { protocol: "other, msb.cbor" });
      assert.equal(echoed.status, 101);
      assert.match(echoed.head, /^sec-websocket-protocol: msb\.cbor$/im);
    }
    assert.ok(cloud.requests.some((r) => r.url === path(running) && r.headers.upgrade));
  }
});

async function hasScript(): Promise<boolean> {
  try {
    await Deno.stat("/usr/bin/script");
    return true;
  } catch {
    return false;
  }
}

/** Sends a raw upgrade request and reads the status, head and (non-101) body. */
async function upgrade(
  cloud: LocalCloud,
  path: string,
  options: { protocol?: string | undefined; key?: string },
): Promise<{ status: number; head: string; body: string }> {
  const url = new URL(cloud.url);
  const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  try {
    await conn.write(upgradeRequest(cloud, path, options));
    let text = "";
    const buffer = new Uint8Array(4096);
    while (true) {
      const end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        const head = text.slice(0, end);
        const status = Number(head.split(" ")[1]);
        const length = Number(/^content-length: (\d+)$/im.exec(head)?.[1] ?? 0);
        if (status === 101 || text.length >= end + 4 + length) {
          return { status, head, body: text.slice(end + 4, end + 4 + length) };
        }
      }
      const n = await conn.read(buffer);
      if (n === null) throw new Error(`connection closed after ${JSON.stringify(text)}`);
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
  } finally {
    conn.close();
  }
}

/** The bytes a process named `name` below `pid` has written so far (from /proc/PID/io). */
async function bytesWritten(pid: number, name: string): Promise<number> {
  for (const child of [pid, ...await descendants(pid)]) {
    try {
      const comm = (await Deno.readTextFile(`/proc/${child}/comm`)).trim();
      if (comm !== name) continue;
      const io = await Deno.readTextFile(`/proc/${child}/io`);
      return Number(/^wchar: (\d+)$/m.exec(io)?.[1]);
    } catch {
      continue;
    }
  }
  throw new Error(`no ${name} process below ${pid}`);
}

Deno.test("exec: the isolation option and mode; deno task cloud's --isolation flag", async () => {
  const { parseCliArgs } = await import("../../src/testing/cli.ts");
  assert.deepEqual(parseCliArgs(["--isolation", "none"], () => undefined), {
    isolation: "none",
    stopDelayMs: 0,
  });
  await using plain = await startLocalCloud({ bootDelayMs: 0, isolation: "none" });
  assert.equal(plain.isolation, "none");
  const sandbox = await runningSandbox(plain, "plain");
  const client = await ExecClient.connect(plain, sandbox);
  try {
    await client.next(0);
    const result = await client.run(1000, execRequest("sh", ["-c", "echo $$"]));
    assert.notEqual(result.stdout, "2\n", "a host pid, not pid 2 of a namespace");
  } finally {
    await client.close();
  }
  await using auto = await startLocalCloud();
  assert.ok(["bubblewrap", "namespaces", "none"].includes(auto.isolation));
  // @ts-expect-error: not a mode
  await assert.rejects(startLocalCloud({ isolation: "chroot" }), {
    name: "TypeError",
    message: 'Cannot use isolation "chroot": use "auto", "bubblewrap", "namespaces" or "none"',
  });
});
