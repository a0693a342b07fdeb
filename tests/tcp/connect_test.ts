// sandbox.connect against the local cloud: real WebSockets, real servers started in the sandbox
// by spawn, connections made from inside the sandbox's own network.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  ConnectionError,
  ConnectionRefusedError,
  InvalidConfigError,
  type Microsandbox,
  type Sandbox,
  SandboxNotRunningError,
  UnsupportedError,
} from "../../mod.ts";
import { setup } from "../_cloud.ts";
import {
  deafServer,
  echoServer,
  sinkServer,
  sourceServer,
  startServer,
  until,
} from "./_servers.ts";

const encoder = new TextEncoder();

function sandboxIn(msb: Microsandbox, name: string): Promise<Sandbox> {
  return msb.sandboxes.create({ name, image: "python" });
}

Deno.test("sandbox.connect echoes both ways and half-closes: the server sees the end and answers", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "echo");
  const server = await startServer(sandbox, echoServer(7001));
  const socket = sandbox.connect(7001);
  assert.deepEqual(await socket.opened, { remoteHost: "127.0.0.1", remotePort: 7001 });
  assert.equal(env.cloud.openTcpTunnels().length, 1);
  const writer = socket.writable.getWriter();
  const reader = socket.readable.getReader();
  await writer.write(encoder.encode("ping"));
  let echoed = "";
  while (echoed.length < 4) echoed += new TextDecoder().decode((await reader.read()).value);
  assert.equal(echoed, "ping");
  await writer.write(encoder.encode("pong"));
  await writer.close(); // half-close: the server reads its end and says bye
  let rest = "";
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    rest += new TextDecoder().decode(read.value);
  }
  assert.equal(rest, "pongbye");
  await socket.closed;
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});

Deno.test("The commands of one sandbox share its network: a server one starts is reachable from another", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "shared-net");
  const server = await startServer(sandbox, echoServer(7002));
  const probe = await sandbox.exec("python3", [
    "-c",
    "import socket; c = socket.create_connection(('127.0.0.1', 7002)); c.sendall(b'x');" +
    "c.shutdown(socket.SHUT_WR); print(c.makefile('rb').read().decode())",
  ]);
  assert.equal(probe.stdoutText().trim(), "xbye");
  await server.kill();
});

Deno.test("sandbox.connect carries 64 MiB each way byte-identical, with the heap growth under 64 MiB", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "large");
  const size = 64 * 1024 * 1024;
  const source = await startServer(sandbox, sourceServer(7003, size));
  const down = sandbox.connect(7003);
  await down.writable.close();
  const start = Deno.memoryUsage();
  const before = start.heapUsed;
  let peak = before;
  let peakRss = start.rss;
  let total = 0;
  let mismatch = -1;
  for await (const chunk of down.readable) {
    for (let i = 0; i < chunk.byteLength && mismatch < 0; i++) {
      if (chunk[i] !== (total + i) % 256) mismatch = total + i;
    }
    total += chunk.byteLength;
    const now = Deno.memoryUsage();
    peak = Math.max(peak, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  }
  await down.closed;
  assert.equal(total, size);
  assert.equal(mismatch, -1);
  const growth = (peak - before) / 1024 / 1024;
  const rss = (peakRss - start.rss) / 1024 / 1024;
  // Client and local cloud share this process: the figures are both together.
  console.log(`64 MiB down: peak heap growth ${growth.toFixed(1)} MiB, RSS ${rss.toFixed(1)} MiB`);
  assert.ok(growth < 64, `heap grew by ${growth.toFixed(1)} MiB`);
  await source.kill();

  const sink = await startServer(sandbox, sinkServer(7004));
  const up = sandbox.connect(7004);
  const hash = createHash("sha256");
  const block = new Uint8Array(1024 * 1024).map((_, i) => (i * 7) % 251);
  const writer = up.writable.getWriter();
  for (let sent = 0; sent < size; sent += block.byteLength) {
    hash.update(block);
    await writer.write(block);
  }
  await writer.close();
  assert.equal(await new Response(up.readable).text(), `${size} ${hash.digest("hex")}`);
  await sink.kill();
});

Deno.test("sandbox.connect: a reader that stops reading does not hold back an exec in the same sandbox", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "slow-reader");
  const source = await startServer(sandbox, sourceServer(7005, 1024 * 1024 * 1024));
  const socket = sandbox.connect(7005);
  const reader = socket.readable.getReader();
  assert.ok((await reader.read()).value!.byteLength > 0);
  // The reader stops here; the server fills its tunnel and waits. An exec still runs.
  for (let i = 0; i < 3; i++) {
    assert.equal((await sandbox.exec("echo", [`run ${i}`])).stdoutText(), `run ${i}\n`);
  }
  assert.equal(env.cloud.openTcpTunnels().length, 1);
  await reader.cancel();
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await source.kill();
});

Deno.test("sandbox.connect: close(), a cancel of the readable, an abort of the writable and the signal each close the tunnel", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "closing");
  const server = await startServer(sandbox, echoServer(7006));
  const ways: Record<
    string,
    (socket: ReturnType<Sandbox["connect"]>, abort: AbortController) => Promise<unknown>
  > = {
    close: (socket) => socket.close(),
    cancel: (socket) => socket.readable.cancel(),
    abort: (socket) => socket.writable.abort(new Error("gone")),
    signal: (_socket, abort) => Promise.resolve(abort.abort(new Error("left"))),
  };
  for (const [way, end] of Object.entries(ways)) {
    const abort = new AbortController();
    const socket = sandbox.connect(7006, { signal: abort.signal });
    await socket.opened;
    assert.equal(env.cloud.openTcpTunnels().length, 1, way);
    await end(socket, abort);
    await until(() => env.cloud.openTcpTunnels().length === 0);
    if (way === "signal") {
      await assert.rejects(socket.closed, /left/);
      await assert.rejects(socket.readable.getReader().read(), /left/);
    } else {
      await socket.closed;
    }
  }
  await server.kill();
});

Deno.test("sandbox.connect: nothing listening is a ConnectionRefusedError with the agent's reason", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "refused");
  const socket = sandbox.connect(7099);
  const error = await socket.opened.catch((e) => e);
  assert.ok(error instanceof ConnectionRefusedError, String(error));
  assert.equal(error.kind, "ConnectionRefused");
  assert.equal(error.port, 7099);
  assert.equal(error.host, "127.0.0.1");
  assert.match(error.message, /Connection refused/);
  assert.ok(!error.message.includes(env.cloud.apiKey));
  await assert.rejects(socket.closed, ConnectionRefusedError);
  await assert.rejects(socket.readable.getReader().read(), ConnectionRefusedError);
});

Deno.test("sandbox.connect cannot reach a service on the host's loopback", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "no-host");
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept().then(() => true, () => false);
  const socket = sandbox.connect(listener.addr.port);
  await assert.rejects(socket.opened, ConnectionRefusedError);
  listener.close();
  assert.equal(await accepted, false);
});

Deno.test("sandbox.connect refuses a bad port or host with InvalidConfigError before any request", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "bad-input");
  const requests = env.cloud.requests.length;
  for (const port of [0, 65536, 1.5, Number.NaN, -1, "80" as unknown as number]) {
    assert.throws(() => sandbox.connect(port), (error: unknown) => {
      assert.ok(error instanceof InvalidConfigError, String(error));
      assert.equal(error.kind, "InvalidConfig");
      assert.match(error.message, /1 to 65535/);
      return true;
    });
  }
  for (const host of ["", "a b", "[::1]", "host\n", "x".repeat(254), 7 as unknown as string]) {
    assert.throws(() => sandbox.connect(80, { host }), (error: unknown) => {
      assert.ok(error instanceof InvalidConfigError, String(error));
      assert.match(error.message, /Cannot connect to host/);
      return true;
    });
  }
  assert.equal(env.cloud.requests.length, requests);
  assert.equal(env.cloud.liveSockets(), 0);
});

Deno.test('sandbox.connect on wire "v0.5" is Unsupported in the seed\'s words, before any request', async () => {
  await using env = await setup("v0.5");
  const sandbox = await env.msb.sandboxes.create({ name: "seed", image: "python" });
  const requests = env.cloud.requests.length;
  assert.throws(() => sandbox.connect(8000), (error: unknown) => {
    assert.ok(error instanceof UnsupportedError, String(error));
    assert.equal(error.kind, "Unsupported");
    assert.equal(error.feature, "connect");
    assert.equal(
      error.message,
      'connect is not supported by this backend yet; available with wire: "current"',
    );
    return true;
  });
  assert.equal(env.cloud.requests.length, requests);
});

Deno.test("sandbox.connect to an agent below protocol generation 4 is the local UnsupportedError, no connect sent", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "old-agent");
  const server = await startServer(sandbox, echoServer(7007));
  env.cloud.faults.execFault("legacyHandshake");
  const socket = sandbox.connect(7007);
  const error = await socket.opened.catch((e) => e);
  assert.ok(error instanceof UnsupportedError, String(error));
  assert.equal(error.feature, "core.tcp.connect");
  assert.match(error.message, /generation 4 \(it speaks 1\)/);
  assert.deepEqual(env.cloud.openTcpTunnels(), []);
  await until(() => env.cloud.liveSockets() === 1); // the server's own exec socket only
  await server.kill();
});

Deno.test("sandbox.connect: a connection cut mid-stream fails the readable with ConnectionError", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "cut");
  const server = await startServer(sandbox, sourceServer(7008, 1024 * 1024));
  env.cloud.faults.tcpFault("cutAfter", { bytes: 1000 });
  const socket = sandbox.connect(7008);
  let got = 0;
  const reading = (async () => {
    for await (const chunk of socket.readable) got += chunk.byteLength;
  })();
  await assert.rejects(reading, (error: unknown) => {
    assert.ok(error instanceof ConnectionError, String(error));
    assert.match(error.message, /broke before its end/);
    return true;
  });
  assert.equal(got, 1000);
  await assert.rejects(socket.closed, ConnectionError);
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});

Deno.test("sandbox.connect: a stalled tunnel still closes on close()", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "stall");
  const server = await startServer(sandbox, sourceServer(7009, 1024 * 1024));
  env.cloud.faults.tcpFault("stall", { bytes: 10 });
  const socket = sandbox.connect(7009);
  const reader = socket.readable.getReader();
  assert.equal((await reader.read()).value!.byteLength, 10);
  const next = reader.read();
  assert.equal(env.cloud.openTcpTunnels().length, 1);
  await socket.close();
  assert.deepEqual(await next, { done: true, value: undefined });
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});

Deno.test("sandbox.connect: stopping the sandbox ends its tunnels", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "stopping");
  await startServer(sandbox, echoServer(7010));
  const socket = sandbox.connect(7010);
  await socket.opened;
  await sandbox.stop();
  await socket.closed.catch(() => {});
  await until(() => env.cloud.openTcpTunnels().length === 0);
});

Deno.test("sandbox.connect to a stopped sandbox rejects opened with SandboxNotRunningError", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "stopped");
  await sandbox.stop();
  const error = await sandbox.connect(8000).opened.catch((e) => e);
  assert.ok(error instanceof SandboxNotRunningError, String(error));
  assert.equal(error.kind, "SandboxNotRunning");
  assert.match(error.message, /^connect in sandbox "stopped": the sandbox is stopped/);
});

Deno.test("sandbox.connect: sending far more than a server reads breaks the connection at the local cloud's bound", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "deaf");
  const server = await startServer(sandbox, deafServer(7011));
  const socket = sandbox.connect(7011);
  const writer = socket.writable.getWriter();
  const block = new Uint8Array(1024 * 1024);
  const writing = (async () => {
    for (let i = 0; i < 1024; i++) await writer.write(block); // 1 GiB, past the 128 MiB bound
  })();
  await assert.rejects(writing, ConnectionError);
  await assert.rejects(socket.closed, /broke before its end/);
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});
