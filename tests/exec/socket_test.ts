import assert from "node:assert/strict";
import { ConnectionError, RuntimeError, type WebSocketFactory } from "../../mod.ts";
import { MAX_UNREAD_BYTES } from "../../src/wire/_session_queue.ts";
import { GENERATIONS, setup } from "../_cloud.ts";

// The runtime's own `new WebSocket(url, { headers, protocols })`, as Bun, Node 22+ and Deno
// without --unstable-net use it: no read backpressure, a bounded queue instead.
const plain: WebSocketFactory = (url, init) =>
  new WebSocket(url, init as unknown as string[]) as unknown as ReturnType<WebSocketFactory>;

for (const wire of GENERATIONS) {
  Deno.test(`Exec works over a plain WebSocket from a webSocket factory (${wire})`, async () => {
    await using env = await setup(wire, { webSocket: plain });
    const sandbox = await env.msb.sandboxes.create({ name: "plain", image: "alpine" });
    while (sandbox.status !== "running") await sandbox.refresh();
    const output = await sandbox.exec("cat", [], { stdin: "through a plain socket" });
    assert.equal(output.stdoutText(), "through a plain socket");
    const upgrade = env.cloud.requests.find((r) => r.headers.upgrade === "websocket");
    assert.equal(upgrade?.headers.authorization, `Bearer ${env.cloud.apiKey}`);
    assert.match(upgrade?.headers["user-agent"] ?? "", /microsandbox-edge\/\d/);
  });

  Deno.test(`Past its unread bound on a plain WebSocket, only the stalled session fails (${wire})`, async () => {
    await using env = await setup(wire, { webSocket: plain });
    const sandbox = await env.msb.sandboxes.create({ name: "flood", image: "alpine" });
    while (sandbox.status !== "running") await sandbox.refresh();
    const process = await sandbox.spawn("head", ["-c", String(200 * 1024 * 1024), "/dev/zero"]);
    await process.stdin.close();
    await process.stderr.cancel();
    const reader = process.stdout.getReader();
    await reader.read();
    // Stalled until the cloud has sent everything: `head` is gone once its pipe is drained.
    while (env.cloud.processes().some((p) => p.cmd.includes("head"))) {
      assert.equal((await sandbox.exec("echo", ["beside"])).stdoutText(), "beside\n");
    }
    await assert.rejects(
      (async () => {
        while (!(await reader.read()).done) { /* drain what was queued */ }
      })(),
      (error: unknown) =>
        error instanceof ConnectionError &&
        error.message.includes(`: more than ${MAX_UNREAD_BYTES} received bytes were not read`),
    );
    assert.equal((await sandbox.exec("echo", ["after"])).stdoutText(), "after\n");
  });
}

Deno.test("Opening an exec socket gives up after connectTimeout", async () => {
  // A TCP peer that accepts and never answers the upgrade.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  const blackHole: WebSocketFactory = (_url, init) =>
    plain(`ws://127.0.0.1:${listener.addr.port}/`, init);
  try {
    for (const wire of GENERATIONS) {
      await using env = await setup(wire, { connectTimeout: 200, webSocket: blackHole });
      const sandbox = await env.msb.sandboxes.create({ name: "far", image: "alpine" });
      await assert.rejects(
        sandbox.exec("true"),
        (error: unknown) =>
          error instanceof RuntimeError && /timed out connecting/.test(error.message),
      );
    }
  } finally {
    listener.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }
});
