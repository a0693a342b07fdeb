import assert from "node:assert/strict";
import {
  type MicrosandboxOptions,
  RuntimeError,
  type Sandbox,
  SandboxNotFoundError,
  SandboxNotRunningError,
  type WebSocketLike,
} from "../../mod.ts";
import { GENERATIONS, requestLines, type Setup, setup } from "../_cloud.ts";
import { asOnWorkers } from "../_on_workers.ts";

// The two ways a Deno client opens its sockets: WebSocketStream (the default under
// --unstable-net), whose refusal is a rejection, and a plain WebSocket from a factory, whose
// refusal is an `error` event without a status.
const CONNECTORS: Record<string, Partial<MicrosandboxOptions>> = {
  WebSocketStream: {},
  WebSocket: {
    webSocket: (url, init) =>
      new WebSocket(url, { headers: init.headers, protocols: init.protocols }) as WebSocketLike,
  },
};

const NOT_RUNNING =
  /^exec in sandbox "box": the sandbox is (stopping|stopped), not running; start it with sandbox\.start\(\), which waits until it runs, and try again$/;
const NOT_FOUND =
  /^exec in sandbox "box": the sandbox does not exist \(was it removed\?\); create it again, or check the name with msb\.sandboxes\.list\(\)$/;

/** Creates `box` and waits until it runs (the v0.5 local cloud answers create while starting). */
async function running(env: Setup): Promise<Sandbox> {
  const sandbox = await env.msb.sandboxes.create({ name: "box", image: "alpine" });
  for (let i = 0; i < 1000 && sandbox.status !== "running"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sandbox.refresh();
  }
  assert.equal(sandbox.status, "running");
  return sandbox;
}

function lookups(lines: string[]): number {
  return lines.filter((line) => /^GET \/v1\/sandboxes\/by-name\/box$/.test(line)).length;
}

for (const wire of GENERATIONS) {
  for (const [connector, client] of Object.entries(CONNECTORS)) {
    Deno.test(`Sandbox.exec and spawn on a stopped sandbox reject with SandboxNotRunningError (${wire}, ${connector})`, async () => {
      await using env = await setup(wire, client);
      const sandbox = await env.msb.sandboxes.create({ name: "box", image: "alpine" });
      await sandbox.stop();
      const calls: Array<[string, (sandbox: Sandbox) => Promise<unknown>]> = [
        ["exec", (s) => s.exec("echo", ["hi"])],
        ["spawn", (s) => s.spawn("echo", ["hi"])],
        ["shell", (s) => s.shell("echo hi")],
      ];
      for (const [name, call] of calls) {
        const before = env.cloud.requests.length;
        await assert.rejects(call(sandbox), (error) => {
          assert.ok(error instanceof SandboxNotRunningError, `${name}: ${error}`);
          assert.equal(error.kind, "SandboxNotRunning");
          assert.match(error.message, NOT_RUNNING);
          assert.equal(error.sandboxName, "box");
          assert.match(error.sandboxStatus, /^(stopping|stopped)$/);
          assert.ok(
            error.cause instanceof RuntimeError,
            `${name}: the socket's error is the cause`,
          );
          return true;
        });
        assert.equal(lookups(requestLines(env.cloud).slice(before)), 1, `${name}: one status GET`);
      }
    });

    Deno.test(`Sandbox.exec and spawn on a removed sandbox reject with SandboxNotFoundError (${wire}, ${connector})`, async () => {
      await using env = await setup(wire, client);
      const sandbox = await env.msb.sandboxes.create({ name: "box", image: "alpine" });
      await sandbox.remove();
      for (const call of [() => sandbox.exec("echo", ["hi"]), () => sandbox.spawn("echo")]) {
        await assert.rejects(call(), (error) => {
          assert.ok(error instanceof SandboxNotFoundError, String(error));
          assert.match(error.message, NOT_FOUND);
          assert.equal(error.status, 404);
          assert.ok(error.cause instanceof RuntimeError);
          return true;
        });
      }
    });

    Deno.test(`A refused socket on a running sandbox keeps the socket's own error (${wire}, ${connector})`, async () => {
      await using env = await setup(wire, client);
      const sandbox = await running(env);
      env.cloud.faults.failNext(1, { status: 503 });
      await assert.rejects(sandbox.exec("echo", ["hi"]), (error) => {
        assert.ok(error instanceof RuntimeError, String(error));
        assert.match(error.message, /^cloud (exec|sandbox agent) websocket: /);
        return true;
      });
      assert.equal((await sandbox.exec("echo", ["hi"])).stdoutText(), "hi\n");
    });
  }
}

for (const wire of GENERATIONS) {
  Deno.test(`A refused WebSocketStream stays quiet after its connect deadline passes (${wire})`, async () => {
    await using env = await setup(wire, { connectTimeout: 100 });
    const sandbox = await env.msb.sandboxes.create({ name: "box", image: "alpine" });
    await sandbox.stop();
    await assert.rejects(sandbox.exec("echo", ["hi"]), SandboxNotRunningError);
    // Past the deadline, Deno's WebSocketStream used to throw an uncaught BadResource.
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
}

for (const wire of GENERATIONS) {
  Deno.test(`When the status lookup fails, the socket's own error stands, after one GET (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await env.msb.sandboxes.create({ name: "box", image: "alpine" });
    await sandbox.stop();
    // The upgrade and the lookup both get a 503; a retried lookup would see "stopped".
    env.cloud.faults.failNext(2, { status: 503 });
    const before = env.cloud.requests.length;
    await assert.rejects(sandbox.exec("echo", ["hi"]), (error) => {
      assert.ok(error instanceof RuntimeError, String(error));
      assert.match(error.message, /^cloud (exec|sandbox agent) websocket: /);
      return true;
    });
    assert.equal(lookups(requestLines(env.cloud).slice(before)), 1);
  });
}

for (const wire of GENERATIONS) {
  Deno.test(`A refused fetch upgrade (the Workers way) maps from the sandbox's status too (${wire})`, async () => {
    await using env = await setup(wire);
    const stopped = await env.msb.sandboxes.create({ name: "box", image: "alpine" });
    await stopped.stop();
    await asOnWorkers(async () => {
      await assert.rejects(stopped.exec("echo", ["hi"]), (error) => {
        assert.ok(error instanceof SandboxNotRunningError, String(error));
        assert.match(error.message, NOT_RUNNING);
        assert.match((error.cause as Error).message, /upgrade refused with HTTP 409$/);
        return true;
      });
      await stopped.remove();
      await assert.rejects(stopped.exec("echo", ["hi"]), (error) => {
        assert.ok(error instanceof SandboxNotFoundError, String(error));
        assert.match(error.message, NOT_FOUND);
        assert.match((error.cause as Error).message, /upgrade refused with HTTP 404$/);
        return true;
      });
    });
  });
}
