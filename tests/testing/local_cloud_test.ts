import assert from "node:assert/strict";
import { startLocalCloud, type WireGeneration } from "../../src/testing/mod.ts";
import { assertError, call, create, encodeSegment, statusOf, waitForStatus } from "./_client.ts";

const GENERATIONS: readonly WireGeneration[] = ["current", "v0.5"];

Deno.test("startLocalCloud listens on loopback with a random msb_test_ key", async () => {
  await using cloud = await startLocalCloud();
  assert.match(cloud.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(cloud.apiKey, /^msb_test_[0-9a-f]{32}$/);
  assert.equal(cloud.generation, "current");
  await using other = await startLocalCloud();
  assert.notEqual(other.apiKey, cloud.apiKey);
});

Deno.test("startLocalCloud uses the given key, generation and port", async () => {
  const probe = await startLocalCloud();
  const port = Number(new URL(probe.url).port);
  await probe.close();
  await using cloud = await startLocalCloud({ apiKey: "k-1", generation: "v0.5", port });
  assert.equal(cloud.url, `http://127.0.0.1:${port}`);
  assert.equal(cloud.apiKey, "k-1");
  assert.equal(cloud.generation, "v0.5");
  assert.equal((await call(cloud, "GET", "/v1/sandboxes")).status, 200);
});

Deno.test("startLocalCloud rejects options it cannot honour", async () => {
  await assert.rejects(startLocalCloud({ generation: "v9" as WireGeneration }), TypeError);
  await assert.rejects(startLocalCloud({ apiKey: "has space" }), TypeError);
  await assert.rejects(startLocalCloud({ apiKey: "" }), TypeError);
  await assert.rejects(startLocalCloud({ port: 70000 }), RangeError);
  await assert.rejects(startLocalCloud({ port: 1.5 }), RangeError);
  await assert.rejects(startLocalCloud({ bootDelayMs: -1 }), RangeError);
  await assert.rejects(startLocalCloud({ stopDelayMs: Infinity }), RangeError);
});

Deno.test("startLocalCloud close() is idempotent and stops the server", async () => {
  const cloud = await startLocalCloud();
  await create(cloud, "a", "?start=true");
  const first = cloud.close();
  assert.equal(cloud.close(), first);
  await first;
  await cloud.close();
  await cloud[Symbol.asyncDispose]();
  await assert.rejects(fetch(`${cloud.url}/v1/sandboxes`), TypeError);
});

Deno.test("startLocalCloud close() ends a pending readiness wait", async () => {
  const cloud = await startLocalCloud({ bootDelayMs: 60_000 });
  const pending = call(cloud, "POST", "/v1/sandboxes?start=true&wait_for=running&wait_timeout=60", {
    body: { name: "slow", image: { type: "oci", reference: "alpine" } },
  });
  while (cloud.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  await cloud.close();
  assert.ok(performance.now() - started < 5000);
  const reply = await pending;
  assert.equal(reply.json.status, "starting");
});

Deno.test("startLocalCloud answers 401 with the nested error body without the key", async () => {
  await using cloud = await startLocalCloud();
  for (
    const authorization of [
      null,
      "Bearer wrong",
      `bearer ${cloud.apiKey}`,
      `Bearer ${cloud.apiKey}x`,
      cloud.apiKey,
    ]
  ) {
    const reply = await call(cloud, "GET", "/v1/sandboxes", { authorization });
    assertError(reply, 401, "invalid_api_key");
    assert.deepEqual(reply.json, {
      error: { code: "invalid_api_key", message: "unauthorized", details: null },
    });
    assert.equal(reply.headers.get("www-authenticate"), "Bearer");
  }
  assertError(
    await call(cloud, "GET", "/v1/nothing-here", { authorization: null }),
    401,
    "invalid_api_key",
  );
  assertError(
    await call(cloud, "POST", "/v1/sandboxes", { authorization: null, body: { name: "x" } }),
    401,
    "invalid_api_key",
  );
});

Deno.test("startLocalCloud answers 404 not_found for unknown routes", async () => {
  await using cloud = await startLocalCloud();
  assertError(await call(cloud, "GET", "/", { authorization: null }), 404, "not_found");
  assertError(await call(cloud, "GET", "/v1/volumes-nope"), 404, "not_found");
  assertError(await call(cloud, "PUT", "/v1/sandboxes"), 404, "not_found");
  assertError(await call(cloud, "POST", "/v1/sandboxes/by-name/a/restart"), 404, "not_found");
});

Deno.test("startLocalCloud records every request as received", async () => {
  await using cloud = await startLocalCloud();
  const before = performance.now();
  await call(cloud, "GET", "/v1/sandboxes/by-name/a%2Fb?x=1");
  await call(cloud, "GET", "/v1/sandboxes", { authorization: "Bearer nope" });
  cloud.faults.failNext(1, { status: 503 });
  await call(cloud, "POST", "/v1/sandboxes", { rawBody: '{"name":"n"}' });
  await call(cloud, "GET", "/elsewhere", { authorization: null });
  assert.deepEqual(cloud.requests.map((r) => [r.method, r.url, r.body]), [
    ["GET", "/v1/sandboxes/by-name/a%2Fb?x=1", ""],
    ["GET", "/v1/sandboxes", ""],
    ["POST", "/v1/sandboxes", '{"name":"n"}'],
    ["GET", "/elsewhere", ""],
  ]);
  const [first, second] = cloud.requests;
  assert.equal(first?.headers.authorization, `Bearer ${cloud.apiKey}`);
  assert.equal(first?.headers["content-type"], "application/json");
  assert.equal(second?.headers.authorization, "Bearer nope");
  assert.ok(Object.keys(first?.headers ?? {}).every((name) => name === name.toLowerCase()));
  const times = cloud.requests.map((r) => r.at);
  assert.ok(times[0]! >= before);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
});

for (const generation of GENERATIONS) {
  Deno.test(`startLocalCloud (${generation}) moves a sandbox through every status`, async () => {
    await using cloud = await startLocalCloud({ generation, bootDelayMs: 10, stopDelayMs: 10 });
    const created = await create(cloud, "life");
    assert.equal(created.status, "created");
    assert.equal(created.started_at, null);
    assertError(
      await call(cloud, "POST", "/v1/sandboxes/by-name/life/stop"),
      409,
      "invalid_state_transition",
    );
    const starting = await call(cloud, "POST", "/v1/sandboxes/by-name/life/start", { body: {} });
    assert.equal(starting.json.status, "starting");
    assertError(
      await call(cloud, "POST", "/v1/sandboxes/by-name/life/start"),
      409,
      "invalid_state_transition",
    );
    await waitForStatus(cloud, "life", "running");
    const running = await call(cloud, "GET", "/v1/sandboxes/by-name/life");
    assert.equal(running.json.started_at, starting.json.started_at);
    assert.ok(Date.parse(running.json.started_at) >= Date.parse(running.json.created_at));
    assertError(
      await call(cloud, "POST", "/v1/sandboxes/by-name/life/start"),
      409,
      "invalid_state_transition",
    );
    const stopping = await call(cloud, "POST", "/v1/sandboxes/by-name/life/stop", { body: {} });
    assert.equal(stopping.json.status, "stopping");
    assert.equal(stopping.json.stopped_at, null);
    await waitForStatus(cloud, "life", "stopped");
    const stopped = await call(cloud, "GET", "/v1/sandboxes/by-name/life");
    assert.ok(Date.parse(stopped.json.stopped_at) >= Date.parse(stopped.json.started_at));
    assertError(
      await call(cloud, "POST", "/v1/sandboxes/by-name/life/stop"),
      409,
      "invalid_state_transition",
    );
    const restarted = await call(cloud, "POST", "/v1/sandboxes/by-name/life/start", { body: {} });
    assert.equal(restarted.json.status, "starting");
    assert.equal(restarted.json.stopped_at, null);
    await waitForStatus(cloud, "life", "running");
  });

  Deno.test(`startLocalCloud (${generation}) refuses start and stop while stopping`, async () => {
    await using cloud = await startLocalCloud({ generation, bootDelayMs: 0, stopDelayMs: 100 });
    assert.equal((await create(cloud, "s", "?start=true")).status, "running");
    const stopping = await call(cloud, "POST", "/v1/sandboxes/by-name/s/stop", { body: {} });
    assert.equal(stopping.json.status, "stopping");
    assertError(
      await call(cloud, "POST", "/v1/sandboxes/by-name/s/start"),
      409,
      "invalid_state_transition",
    );
    assertError(
      await call(cloud, "POST", "/v1/sandboxes/by-name/s/stop"),
      409,
      "invalid_state_transition",
    );
    await waitForStatus(cloud, "s", "stopped");
  });

  Deno.test(`startLocalCloud (${generation}) makes zero delays immediate`, async () => {
    await using cloud = await startLocalCloud({ generation, bootDelayMs: 0, stopDelayMs: 0 });
    assert.equal((await create(cloud, "now", "?start=true")).status, "running");
    assert.equal(
      (await call(cloud, "POST", "/v1/sandboxes/by-name/now/stop")).json.status,
      "stopped",
    );
    assert.equal(
      (await call(cloud, "POST", "/v1/sandboxes/by-name/now/start")).json.status,
      "running",
    );
  });

  Deno.test(`startLocalCloud (${generation}) stops a sandbox that is still starting`, async () => {
    await using cloud = await startLocalCloud({ generation, bootDelayMs: 30, stopDelayMs: 0 });
    await create(cloud, "early", "?start=true");
    const stopped = await call(cloud, "POST", "/v1/sandboxes/by-name/early/stop");
    assert.equal(stopped.json.status, "stopped");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await statusOf(cloud, "early"), "stopped");
  });

  Deno.test(`startLocalCloud (${generation}) fails a planned boot and restarts from failed`, async () => {
    await using cloud = await startLocalCloud({ generation, bootDelayMs: 5 });
    cloud.faults.nextBoot({ fail: "image pull failed: alpine" });
    await create(cloud, "f", "?start=true");
    await waitForStatus(cloud, "f", "failed");
    const failed = await call(cloud, "GET", "/v1/sandboxes/by-name/f");
    const failure = generation === "current" ? "last_failure_message" : "last_error";
    assert.equal(failed.json[failure], "image pull failed: alpine");
    assertError(
      await call(cloud, "POST", "/v1/sandboxes/by-name/f/stop"),
      409,
      "invalid_state_transition",
    );
    const again = await call(cloud, "POST", "/v1/sandboxes/by-name/f/start");
    assert.equal(again.json.status, "starting");
    assert.equal(again.json[failure], null);
    await waitForStatus(cloud, "f", "running");
  });

  Deno.test(`startLocalCloud (${generation}) deletes a sandbox in any state`, async () => {
    await using cloud = await startLocalCloud({ generation, bootDelayMs: 60_000 });
    await create(cloud, "idle");
    await create(cloud, "booting", "?start=true");
    for (const name of ["idle", "booting"]) {
      const deleted = await call(cloud, "DELETE", `/v1/sandboxes/by-name/${name}`);
      assert.equal(deleted.status, 200);
      assert.equal(typeof deleted.json.message, "string");
      assertError(
        await call(cloud, "GET", `/v1/sandboxes/by-name/${name}`),
        404,
        "sandbox_not_found",
      );
      assertError(
        await call(cloud, "DELETE", `/v1/sandboxes/by-name/${name}`),
        404,
        "sandbox_not_found",
      );
    }
    assert.deepEqual((await call(cloud, "GET", "/v1/sandboxes")).json.data, []);
    await create(cloud, "idle");
  });

  Deno.test(`startLocalCloud (${generation}) answers 404 sandbox_not_found for unknown names`, async () => {
    await using cloud = await startLocalCloud({ generation });
    for (const suffix of ["", "/start", "/stop"]) {
      const method = suffix ? "POST" : "GET";
      assertError(
        await call(cloud, method, `/v1/sandboxes/by-name/ghost${suffix}`),
        404,
        "sandbox_not_found",
      );
    }
  });

  Deno.test(`startLocalCloud (${generation}) answers 409 name_already_exists for a taken name`, async () => {
    await using cloud = await startLocalCloud({ generation });
    await create(cloud, "twin");
    const again = await call(cloud, "POST", "/v1/sandboxes", {
      body: generation === "current"
        ? { name: "twin", image: { type: "oci", reference: "python" } }
        : { name: "twin", image: "python" },
    });
    assertError(again, 409, "name_already_exists");
  });

  Deno.test(`startLocalCloud (${generation}) answers 400 invalid_request for bad bodies`, async () => {
    await using cloud = await startLocalCloud({ generation });
    const bodies = [
      "",
      "{",
      "not json",
      "[]",
      "null",
      '"name"',
      "{}",
      '{"name":""}',
      '{"name":7}',
      generation === "current" ? '{"name":"x"}' : '{"name":"x","image":""}',
      generation === "current"
        ? '{"name":"x","image":"alpine"}'
        : '{"name":"x","image":{"type":"oci","reference":"alpine"}}',
    ];
    for (const rawBody of bodies) {
      const reply = await call(cloud, "POST", "/v1/sandboxes", { rawBody });
      assertError(reply, 400, "invalid_request");
    }
    assert.match(
      (await call(cloud, "POST", "/v1/sandboxes", { rawBody: "{}" })).json.error.message,
      /`name`/,
    );
    assertError(
      await call(cloud, "POST", "/v1/sandboxes?start=maybe", { body: { name: "x" } }),
      400,
      "invalid_request",
    );
    assert.deepEqual((await call(cloud, "GET", "/v1/sandboxes")).json.data, []);
  });

  Deno.test(`startLocalCloud (${generation}) round-trips names through encoded paths`, async () => {
    await using cloud = await startLocalCloud({ generation, bootDelayMs: 0, stopDelayMs: 0 });
    const names = [
      "a/b",
      "../x",
      "x/../y",
      "with space",
      "50%",
      "%2F",
      "a?b#c",
      "ünï code 🚀",
      "...",
    ];
    for (const name of names) {
      const created = await create(cloud, name);
      assert.equal(created.name, name);
      const path = `/v1/sandboxes/by-name/${encodeSegment(name)}`;
      assert.equal((await call(cloud, "GET", path)).json.name, name);
      assert.equal((await call(cloud, "POST", `${path}/start`)).json.name, name);
      await waitForStatus(cloud, name, "running");
      assert.equal((await call(cloud, "POST", `${path}/stop`)).json.status, "stopped");
      assert.equal((await call(cloud, "DELETE", path)).status, 200);
    }
    await create(cloud, "../x");
    const lowerHex = await call(cloud, "GET", "/v1/sandboxes/by-name/%2e%2e%2fx");
    assert.equal(lowerHex.json.name, "../x");
    const upperHex = await call(cloud, "GET", "/v1/sandboxes/by-name/%2E%2E%2Fx");
    assert.equal(upperHex.json.name, "../x");
    assert.equal(cloud.requests.at(-1)?.url, "/v1/sandboxes/by-name/%2E%2E%2Fx");
  });
}
