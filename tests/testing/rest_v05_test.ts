import assert from "node:assert/strict";
import { startLocalCloud } from "../../src/testing/mod.ts";
import { assertError, call, create } from "./_client.ts";

/** The body SDK 0.5.10 sends (captured-wire.md). */
const SDK_BODY = {
  name: "cap",
  image: "alpine",
  vcpus: 1,
  memory_mib: 512,
  env: {},
  ephemeral: false,
};

Deno.test("startLocalCloud (v0.5) accepts the SDK's create body and answers CloudSandbox", async () => {
  await using cloud = await startLocalCloud({ generation: "v0.5" });
  const reply = await call(cloud, "POST", "/v1/sandboxes?start=true", { body: SDK_BODY });
  assert.equal(reply.status, 200, reply.text);
  const sandbox = reply.json;
  assert.deepEqual(Object.keys(sandbox).sort(), [
    "config",
    "created_at",
    "ephemeral",
    "id",
    "last_error",
    "name",
    "org_id",
    "started_at",
    "status",
    "stopped_at",
  ]);
  assert.equal(sandbox.name, "cap");
  assert.equal(sandbox.status, "running");
  assert.equal(sandbox.ephemeral, false);
  assert.equal(sandbox.last_error, null);
  assert.equal(typeof sandbox.started_at, "string");
  assert.deepEqual(sandbox.config, SDK_BODY);
});

Deno.test("startLocalCloud (v0.5) fills the decode defaults into config", async () => {
  await using cloud = await startLocalCloud({ generation: "v0.5" });
  const sandbox = await create(cloud, "mini");
  assert.equal(sandbox.status, "created");
  assert.equal(sandbox.ephemeral, true);
  assert.deepEqual(sandbox.config, {
    name: "mini",
    image: "alpine",
    vcpus: 1,
    memory_mib: 512,
    env: {},
    ephemeral: true,
  });
});

Deno.test("startLocalCloud (v0.5) echoes optional fields and leaves absent ones out", async () => {
  await using cloud = await startLocalCloud({ generation: "v0.5" });
  const body = {
    name: "full",
    image: "python:3.12",
    vcpus: 2,
    memory_mib: 1024,
    env: { A: "1" },
    ephemeral: false,
    workdir: "/app",
    shell: "/bin/sh",
    entrypoint: ["python"],
    hostname: "box",
    user: "root",
    log_level: "debug",
    scripts: { test: "pytest" },
    max_duration_secs: 3600,
    idle_timeout_secs: 60,
  };
  const reply = await call(cloud, "POST", "/v1/sandboxes", { body });
  assert.deepEqual(reply.json.config, body);
  const nulls = await call(cloud, "POST", "/v1/sandboxes", {
    body: { name: "nulls", image: "alpine", workdir: null, scripts: {}, max_duration_secs: null },
  });
  assert.deepEqual(Object.keys(nulls.json.config), [
    "name",
    "image",
    "vcpus",
    "memory_mib",
    "env",
    "ephemeral",
  ]);
});

Deno.test("startLocalCloud (v0.5) names the bad field in 400 invalid_request", async () => {
  await using cloud = await startLocalCloud({ generation: "v0.5" });
  const cases: [unknown, RegExp][] = [
    [{ name: "x" }, /`image`/],
    [{ name: "x", image: "alpine", vcpus: 256 }, /`vcpus`/],
    [{ name: "x", image: "alpine", memory_mib: -1 }, /`memory_mib`/],
    [{ name: "x", image: "alpine", env: [{ key: "A", value: "1" }] }, /`env`/],
    [{ name: "x", image: "alpine", ephemeral: "no" }, /`ephemeral`/],
    [{ name: "x", image: "alpine", entrypoint: "python" }, /`entrypoint`/],
    [{ name: "x", image: "alpine", idle_timeout_secs: 1.5 }, /`idle_timeout_secs`/],
  ];
  for (const [body, message] of cases) {
    const reply = await call(cloud, "POST", "/v1/sandboxes", { body });
    assertError(reply, 400, "invalid_request");
    assert.match(reply.json.error.message, message);
  }
});

Deno.test("startLocalCloud (v0.5) answers a create with start=true once the sandbox runs", async () => {
  await using cloud = await startLocalCloud({ generation: "v0.5", bootDelayMs: 100 });
  const created = await create(cloud, "run", "?start=true");
  assert.equal(created.status, "running");
  const idle = await create(cloud, "idle");
  assert.equal(idle.status, "created");
});

Deno.test("startLocalCloud (v0.5) answers a create whose boot fails with last_error", async () => {
  await using cloud = await startLocalCloud({ generation: "v0.5" });
  cloud.faults.nextBoot({ fail: "image pull failed", delayMs: 50 });
  const created = await create(cloud, "broken", "?start=true");
  assert.equal(created.status, "failed");
  assert.equal(created.last_error, "image pull failed");
});

Deno.test("startLocalCloud (v0.5) ignores wait_for and has no by-id routes", async () => {
  await using cloud = await startLocalCloud({ generation: "v0.5", bootDelayMs: 60_000 });
  const sandbox = await create(cloud, "w");
  const started = await call(
    cloud,
    "POST",
    "/v1/sandboxes/by-name/w/start?wait_for=running&wait_timeout=30",
    { body: {} },
  );
  assert.equal(started.json.status, "starting");
  await create(cloud, "t", "?wait_timeout=oops");
  assertError(await call(cloud, "GET", `/v1/sandboxes/${sandbox.id}`), 404, "not_found");
  assertError(await call(cloud, "POST", `/v1/sandboxes/${sandbox.id}/stop`), 404, "not_found");
  assertError(
    await call(cloud, "PATCH", `/v1/sandboxes/${sandbox.id}`, { body: {} }),
    404,
    "not_found",
  );
});
