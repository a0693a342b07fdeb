import assert from "node:assert/strict";
import { RuntimeError, SandboxNotFoundError, UnsupportedError } from "../../mod.ts";
import { GENERATIONS, requestLines, setup } from "../_cloud.ts";

for (const wire of GENERATIONS) {
  Deno.test(`Sandboxes walk a sandbox through its lifecycle (${wire})`, async () => {
    await using env = await setup(wire);
    const { msb } = env;
    const created = await msb.sandboxes.create({ name: "life", image: "alpine", env: { A: "1" } }, {
      start: false,
    });
    assert.equal(created.status, "created");
    assert.equal(created.name, "life");
    assert.equal(created.spec.image, "alpine");
    assert.deepEqual(created.spec.env, { A: "1" });

    const started = await msb.sandboxes.start("life");
    assert.equal(started.status, "running");
    assert.ok(started.startedAt instanceof Date);

    const seen = await msb.sandboxes.get("life");
    assert.equal(seen.id, created.id);

    const stopped = await msb.sandboxes.stop("life");
    assert.equal(stopped.status, "stopped");
    await msb.sandboxes.remove("life");
    await assert.rejects(msb.sandboxes.get("life"), SandboxNotFoundError);
  });

  Deno.test(`Sandbox handles start, stop, refresh and remove their sandbox (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await env.msb.sandboxes.create({ name: "handle", image: "alpine" }, {
      start: false,
    });
    assert.equal(await sandbox.start(), sandbox);
    assert.equal(sandbox.status, "running");
    assert.equal(await sandbox.stop(), sandbox);
    assert.equal(sandbox.status, "stopped");
    assert.ok(sandbox.stoppedAt instanceof Date);
    assert.equal((await sandbox.refresh()).status, "stopped");
    await sandbox.remove();
    await assert.rejects(sandbox.refresh(), SandboxNotFoundError);
  });

  Deno.test(`Sandbox disposal removes only the sandboxes create returned (${wire})`, async () => {
    await using env = await setup(wire);
    {
      await using _owned = await env.msb.sandboxes.create({ name: "owned", image: "alpine" });
      await env.msb.sandboxes.create({ name: "kept", image: "alpine" });
      await using _viewed = await env.msb.sandboxes.get("kept");
    }
    await assert.rejects(env.msb.sandboxes.get("owned"), SandboxNotFoundError);
    assert.equal((await env.msb.sandboxes.get("kept")).name, "kept");
  });

  Deno.test(`Sandboxes round-trip names that need percent-encoding (${wire})`, async () => {
    await using env = await setup(wire);
    const names = ["../escape", "a%2Fb", "with space", "ünïcødé ☃", "q?x=1#frag"];
    for (const name of names) {
      await env.msb.sandboxes.create({ name, image: "alpine" }, { start: false });
      assert.equal((await env.msb.sandboxes.get(name)).name, name);
    }
    const gets = requestLines(env.cloud).filter((line) =>
      line.startsWith("GET /v1/sandboxes/by-name/")
    );
    assert.deepEqual(gets, [
      "GET /v1/sandboxes/by-name/..%2Fescape",
      "GET /v1/sandboxes/by-name/a%252Fb",
      "GET /v1/sandboxes/by-name/with%20space",
      "GET /v1/sandboxes/by-name/%C3%BCn%C3%AFc%C3%B8d%C3%A9%20%E2%98%83",
      "GET /v1/sandboxes/by-name/q%3Fx%3D1%23frag",
    ]);
  });
}

Deno.test("Sandboxes.create waits for running on the current wire", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "ready", image: "alpine" });
  assert.equal(sandbox.status, "running");
  const [create] = requestLines(env.cloud);
  assert.equal(create, "POST /v1/sandboxes?start=true&wait_for=running&wait_timeout=90");
});

Deno.test("Sandboxes.create sends the seed's start query on the v0.5 wire", async () => {
  await using env = await setup("v0.5");
  const sandbox = await env.msb.sandboxes.create({ name: "seed", image: "alpine" });
  assert.equal(sandbox.status, "running");
  assert.deepEqual(requestLines(env.cloud), ["POST /v1/sandboxes?start=true"]);
  assert.equal(
    env.cloud.requests[0]?.body,
    '{"name":"seed","image":"alpine","vcpus":1,"memory_mib":512,"env":{},"ephemeral":false}',
  );
});

Deno.test("Sandboxes.create reports a failed boot with the cloud's reason", async () => {
  await using env = await setup("current");
  env.cloud.faults.nextBoot({ fail: "image pull failed" });
  await assert.rejects(
    env.msb.sandboxes.create({ name: "broken", image: "alpine" }),
    (error: unknown) =>
      error instanceof RuntimeError &&
      error.message === 'cloud sandbox "broken" failed to start: image pull failed',
  );
});

Deno.test("Sandboxes.start reports a readiness wait that expired", async () => {
  await using env = await setup("current", {}, { bootDelayMs: 5_000 });
  await env.msb.sandboxes.create({ name: "slow", image: "alpine" }, { start: false });
  await assert.rejects(
    env.msb.sandboxes.start("slow", { waitTimeoutSecs: 1 }),
    (error: unknown) =>
      error instanceof RuntimeError &&
      error.message ===
        'cloud sandbox "slow" did not reach running before the readiness wait expired',
  );
  const line = requestLines(env.cloud).at(-1);
  assert.equal(line, "POST /v1/sandboxes/by-name/slow/start?wait_for=running&wait_timeout=1");
});

Deno.test("Sandboxes.start with waitTimeoutSecs 0 answers at once", async () => {
  await using env = await setup("current", {}, { bootDelayMs: 5_000 });
  await env.msb.sandboxes.create({ name: "nowait", image: "alpine" }, { start: false });
  assert.equal(
    (await env.msb.sandboxes.start("nowait", { waitTimeoutSecs: 0 })).status,
    "starting",
  );
});

Deno.test("Sandboxes.getById reads a sandbox by its id on the current wire", async () => {
  await using env = await setup("current");
  const created = await env.msb.sandboxes.create({
    name: "by-id",
    image: "alpine",
    labels: { a: "b" },
  });
  const found = await env.msb.sandboxes.getById(created.id);
  assert.equal(found.name, "by-id");
  assert.deepEqual(found.spec.labels, { a: "b" });
  await assert.rejects(env.msb.sandboxes.getById(crypto.randomUUID()), SandboxNotFoundError);
});

Deno.test("Sandboxes.getById is unsupported on the v0.5 wire, before any request", async () => {
  await using env = await setup("v0.5");
  await assert.rejects(env.msb.sandboxes.getById("x"), UnsupportedError);
  assert.equal(env.cloud.requests.length, 0);
});
