// The lifecycle calls that wait: stop until stopped, start and create until running, waitFor, and
// a create that fails after the cloud accepted it leaving nothing behind.
import assert from "node:assert/strict";
import {
  InvalidConfigError,
  type Microsandbox,
  RuntimeError,
  type SandboxStatus,
  TimeoutError,
} from "../../mod.ts";
import { GENERATIONS, requestLines, setup } from "../_cloud.ts";

for (const wire of GENERATIONS) {
  Deno.test(`Sandbox.stop resolves once stopped, so start can follow at once (${wire})`, async () => {
    await using env = await setup(wire, {}, { stopDelayMs: 300 });
    const sandbox = await env.msb.sandboxes.create({ name: "restart", image: "alpine" });
    await sandbox.stop();
    assert.equal(sandbox.status, "stopped");
    await sandbox.start();
    assert.equal(sandbox.status, "running");
    assert.equal((await sandbox.exec("echo", ["again"])).stdoutText(), "again\n");
    const viaCollection = await env.msb.sandboxes.stop("restart");
    assert.equal(viaCollection.status, "stopped");
  });

  Deno.test(`Sandboxes.create then exec works at once (${wire})`, async () => {
    await using env = await setup(wire, {}, { bootDelayMs: 200 });
    const sandbox = await env.msb.sandboxes.create({ name: "ready", image: "alpine" });
    assert.equal(sandbox.status, "running");
    assert.equal((await sandbox.exec("echo", ["hi"])).stdoutText(), "hi\n");
  });

  Deno.test(`Sandbox.start then exec works at once (${wire})`, async () => {
    await using env = await setup(wire, {}, { bootDelayMs: 200 });
    const sandbox = await env.msb.sandboxes.create({ name: "cold", image: "alpine" }, {
      start: false,
    });
    await sandbox.start();
    assert.equal(sandbox.status, "running");
    assert.equal((await sandbox.exec("echo", ["hi"])).stdoutText(), "hi\n");
  });

  Deno.test(`Sandbox.start rejects a failed boot with the cloud's reason (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await env.msb.sandboxes.create({ name: "bad", image: "alpine" }, {
      start: false,
    });
    env.cloud.faults.nextBoot({ fail: "image pull failed", delayMs: 100 });
    await assert.rejects(
      sandbox.start(),
      (error: unknown) =>
        error instanceof RuntimeError &&
        error.message === 'cloud sandbox "bad" failed to start: image pull failed',
    );
  });

  Deno.test(`Sandbox.stop of an ephemeral sandbox ends when the cloud removes it (${wire})`, async () => {
    await using env = await setup(wire, {}, { stopDelayMs: 60_000 });
    const sandbox = await env.msb.sandboxes.create({
      name: "eph",
      image: "alpine",
      ephemeral: true,
    });
    const pending = sandbox.stop();
    await until(() => {
      const lines = requestLines(env.cloud);
      const stop = lines.indexOf("POST /v1/sandboxes/by-name/eph/stop");
      return stop >= 0 && lines.slice(stop).includes("GET /v1/sandboxes/by-name/eph");
    });
    await env.msb.sandboxes.remove("eph"); // what the cloud does once an ephemeral sandbox stops
    assert.equal(await pending, sandbox);
    assert.equal(sandbox.status, "stopped");
  });

  Deno.test(`Sandbox.stop with wait: false answers at once (${wire})`, async () => {
    await using env = await setup(wire, {}, { stopDelayMs: 60_000 });
    const sandbox = await env.msb.sandboxes.create({ name: "ask", image: "alpine" });
    await sandbox.stop({ wait: false });
    assert.equal(sandbox.status, "stopping");
  });

  Deno.test(`Sandbox.stop fails with TimeoutError when the wait runs out (${wire})`, async () => {
    await using env = await setup(wire, {}, { stopDelayMs: 60_000 });
    const sandbox = await env.msb.sandboxes.create({ name: "slow-stop", image: "alpine" });
    await assert.rejects(
      sandbox.stop({ waitTimeoutSecs: 0.2 }),
      (error: unknown) =>
        error instanceof TimeoutError &&
        error.message ===
          'Sandbox "slow-stop" was still stopping after 200 ms of waiting for stopped: ' +
            "raise waitTimeoutSecs, or pass wait: false to return at once",
    );
    assert.equal(sandbox.status, "stopping");
    await assert.rejects(
      env.msb.sandboxes.stop("slow-stop", { waitTimeoutSecs: -1 }),
      (error: unknown) =>
        error instanceof InvalidConfigError &&
        error.message ===
          "waitTimeoutSecs must be a finite number of seconds of at least 0, got -1",
    );
  });

  Deno.test(`Sandbox.waitFor resolves once the status is reached (${wire})`, async () => {
    await using env = await setup(wire, {}, { bootDelayMs: 200 });
    const sandbox = await env.msb.sandboxes.create({ name: "later", image: "alpine" }, {
      start: false,
    });
    await env.msb.sandboxes.start("later", { waitTimeoutSecs: 0 });
    assert.equal(sandbox.status, "created");
    assert.equal(await sandbox.waitFor("running"), sandbox);
    assert.equal(sandbox.status, "running");
    assert.ok(sandbox.startedAt instanceof Date);
  });

  Deno.test(`Sandbox.waitFor fails with TimeoutError naming the last status (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await startingForever(env.msb, env.cloud.faults, "stuck");
    await assert.rejects(
      sandbox.waitFor("running", { timeout: 200 }),
      (error: unknown) =>
        error instanceof TimeoutError &&
        error.message ===
          'Sandbox "stuck" was still starting after 200 ms of waiting for running: ' +
            "raise the timeout, or check the sandbox's logs",
    );
    assert.equal(sandbox.status, "starting");
  });

  Deno.test(`Sandbox.waitFor stops reading when its signal aborts (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await startingForever(env.msb, env.cloud.faults, "waiting");
    const controller = new AbortController();
    const pending = sandbox.waitFor("running", { signal: controller.signal });
    await until(() => reads(env.cloud.requests, "waiting") >= 2);
    const reason = new Error("the user went away");
    controller.abort(reason);
    await assert.rejects(pending, (error: unknown) => error === reason);
    assert.equal(sandbox.status, "starting");
  });

  Deno.test(`Sandbox.waitFor fails at once for a status it cannot reach (${wire})`, async () => {
    await using env = await setup(wire, {}, { bootDelayMs: 0 });
    const idle = await env.msb.sandboxes.create({ name: "idle", image: "alpine" }, {
      start: false,
    });
    await assert.rejects(
      idle.waitFor("running"),
      (error: unknown) =>
        error instanceof RuntimeError &&
        error.message === 'Sandbox "idle" is created and cannot become running by itself: ' +
            "start it first",
    );
    env.cloud.faults.nextBoot({ fail: "kernel panic" });
    await env.msb.sandboxes.start("idle", { waitTimeoutSecs: 0 });
    await assert.rejects(
      idle.waitFor("stopped"),
      (error: unknown) =>
        error instanceof RuntimeError &&
        error.message ===
          'Sandbox "idle" is failed (kernel panic) and cannot become stopped by itself: ' +
            "wait for another status, or start it first",
    );
    assert.equal(idle.status, "failed");
  });

  Deno.test(`Sandbox.waitFor refuses a status or timeout that is not one (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await env.msb.sandboxes.create({ name: "args", image: "alpine" });
    const before = env.cloud.requests.length;
    await assert.rejects(
      sandbox.waitFor("runing" as SandboxStatus),
      (error: unknown) =>
        error instanceof InvalidConfigError &&
        error.message ===
          'waitFor needs one of created, starting, running, stopping, stopped, failed, got "runing"',
    );
    await assert.rejects(
      sandbox.waitFor("running", { timeout: Infinity }),
      (error: unknown) =>
        error instanceof InvalidConfigError &&
        error.message ===
          "timeout must be a finite number of milliseconds of at least 0, got Infinity",
    );
    assert.equal(env.cloud.requests.length, before);
  });

  Deno.test(`Sandboxes.create that is aborted leaves no sandbox behind (${wire})`, async () => {
    await using env = await setup(wire);
    env.cloud.faults.nextBoot({ delayMs: 60_000 });
    const controller = new AbortController();
    const pending = env.msb.sandboxes.create({ name: "aborted", image: "alpine" }, {
      signal: controller.signal,
    });
    await until(async () => (await env.msb.sandboxes.list()).sandboxes.length === 1);
    const reason = new Error("the user went away");
    controller.abort(reason);
    await assert.rejects(pending, (error: unknown) => error === reason);
    assert.deepEqual((await env.msb.sandboxes.list()).sandboxes, []);
  });

  Deno.test(`Sandboxes.create whose answer is lost leaves no sandbox behind (${wire})`, async () => {
    await using env = await setup(wire);
    env.cloud.faults.dropNext(1, { afterRoute: true });
    await assert.rejects(env.msb.sandboxes.create({ name: "lost", image: "alpine" }));
    assert.deepEqual((await env.msb.sandboxes.list()).sandboxes, []);
    const lines = requestLines(env.cloud);
    assert.deepEqual(lines.slice(1, 3), [
      "GET /v1/sandboxes/by-name/lost",
      "DELETE /v1/sandboxes/by-name/lost",
    ]);
  });

  Deno.test(`Sandboxes.create leaves alone a same-named sandbox it did not make (${wire})`, async () => {
    await using env = await setup(wire);
    const theirs = await env.msb.sandboxes.create({ name: "theirs", image: "python" });
    env.cloud.faults.dropNext(1);
    await assert.rejects(env.msb.sandboxes.create({ name: "theirs", image: "alpine" }));
    assert.equal((await env.msb.sandboxes.get("theirs")).id, theirs.id);
  });

  Deno.test(`Sandboxes.create whose boot fails removes the sandbox (${wire})`, async () => {
    await using env = await setup(wire);
    env.cloud.faults.nextBoot({ fail: "image pull failed", delayMs: 50 });
    await assert.rejects(
      env.msb.sandboxes.create({ name: "broken", image: "alpine" }),
      (error: unknown) =>
        error instanceof RuntimeError &&
        error.message === 'cloud sandbox "broken" failed to start: image pull failed',
    );
    assert.deepEqual((await env.msb.sandboxes.list()).sandboxes, []);
  });
}

Deno.test("Sandboxes.create whose readiness wait runs out removes the sandbox (current)", async () => {
  await using env = await setup("current");
  env.cloud.faults.nextBoot({ delayMs: 60_000 });
  await assert.rejects(
    env.msb.sandboxes.create({ name: "late", image: "alpine" }, { waitTimeoutSecs: 1 }),
    (error: unknown) =>
      error instanceof RuntimeError &&
      error.message ===
        'cloud sandbox "late" did not reach running before the readiness wait expired',
  );
  assert.deepEqual((await env.msb.sandboxes.list()).sandboxes, []);
});

Deno.test("Sandboxes.create whose answer times out leaves no sandbox behind (v0.5)", async () => {
  await using env = await setup("v0.5", { timeout: 300 });
  env.cloud.faults.nextBoot({ delayMs: 60_000 });
  await assert.rejects(
    env.msb.sandboxes.create({ name: "slow", image: "alpine" }, { waitTimeoutSecs: 0 }),
    (error: unknown) =>
      error instanceof TimeoutError &&
      error.message === "POST /v1/sandboxes: timed out after 300 ms",
  );
  assert.deepEqual((await env.msb.sandboxes.list()).sandboxes, []);
});

/** A sandbox whose boot never ends within the test. */
async function startingForever(
  msb: Microsandbox,
  faults: { nextBoot(options: { delayMs: number }): void },
  name: string,
) {
  const sandbox = await msb.sandboxes.create({ name, image: "alpine" }, { start: false });
  faults.nextBoot({ delayMs: 60_000 });
  await sandbox.start({ waitTimeoutSecs: 0 });
  assert.equal(sandbox.status, "starting");
  return sandbox;
}

/** How many times the sandbox was read by name. */
function reads(requests: readonly { method: string; url: string }[], name: string): number {
  return requests.filter((r) => r.method === "GET" && r.url === `/v1/sandboxes/by-name/${name}`)
    .length;
}

/** Checks a condition every 5 ms, 400 times at most. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail("the condition never held");
}
