import assert from "node:assert/strict";
import { Microsandbox, MicrosandboxError } from "../../mod.ts";
import { startLocalCloud } from "../../src/testing/mod.ts";
import { assertError, call, create, createBody } from "./_client.ts";

Deno.test("LocalCloudFaults.failNext answers the next requests with the error and Retry-After", async () => {
  await using cloud = await startLocalCloud();
  cloud.faults.failNext(2, { status: 429, retryAfter: "1" });
  for (let i = 0; i < 2; i++) {
    const reply = await call(cloud, "GET", "/v1/sandboxes");
    assertError(reply, 429, "rate_limited");
    assert.equal(reply.headers.get("retry-after"), "1");
  }
  const ok = await call(cloud, "GET", "/v1/sandboxes");
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("retry-after"), null);
});

Deno.test("LocalCloudFaults.failNext uses a default code per status, or the given one", async () => {
  await using cloud = await startLocalCloud();
  const defaults = [
    [429, "rate_limited"],
    [500, "internal_error"],
    [502, "orchestrator_unreachable"],
    [503, "service_unavailable"],
    [504, "gateway_timeout"],
    [409, "conflict"],
    [418, "http_418"],
  ] as const;
  for (const [status, code] of defaults) {
    cloud.faults.failNext(1, { status });
    assertError(await call(cloud, "GET", "/v1/sandboxes"), status, code);
  }
  const date = "Wed, 21 Oct 2026 07:28:00 GMT";
  cloud.faults.failNext(1, {
    status: 503,
    code: "maintenance",
    message: "back soon",
    retryAfter: date,
  });
  const custom = await call(cloud, "GET", "/v1/sandboxes");
  assert.deepEqual(custom.json, {
    error: { code: "maintenance", message: "back soon", details: null },
  });
  assert.equal(custom.headers.get("retry-after"), date);
});

Deno.test("LocalCloudFaults.failNext can send a raw body", async () => {
  await using cloud = await startLocalCloud();
  cloud.faults.failNext(1, { status: 400, body: '{"code":"flat","message":"flat shape"}' });
  cloud.faults.failNext(1, { status: 500, body: "upstream exploded" });
  const flat = await call(cloud, "GET", "/v1/sandboxes");
  assert.equal(flat.status, 400);
  assert.equal(flat.headers.get("content-type"), "application/json");
  assert.deepEqual(flat.json, { code: "flat", message: "flat shape" });
  const plain = await call(cloud, "GET", "/v1/sandboxes");
  assert.equal(plain.status, 500);
  assert.equal(plain.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(plain.text, "upstream exploded");
});

Deno.test("LocalCloudFaults.failNext acts before any route, after authentication", async () => {
  await using cloud = await startLocalCloud({ generation: "v0.5" });
  cloud.faults.failNext(1, { status: 503 });
  assertError(
    await call(cloud, "GET", "/v1/sandboxes", { authorization: "Bearer wrong" }),
    401,
    "invalid_api_key",
  );
  const failed = await call(cloud, "POST", "/v1/sandboxes", { body: createBody("v0.5", "x") });
  assertError(failed, 503, "service_unavailable");
  assertError(await call(cloud, "GET", "/v1/sandboxes/by-name/x"), 404, "sandbox_not_found");
  assert.equal(cloud.requests.length, 3);
});

Deno.test("LocalCloudFaults calls queue up in order", async () => {
  await using cloud = await startLocalCloud();
  cloud.faults.failNext(1, { status: 503 });
  cloud.faults.failNext(1, { status: 429 });
  assert.equal((await call(cloud, "GET", "/v1/sandboxes")).status, 503);
  assert.equal((await call(cloud, "GET", "/v1/sandboxes")).status, 429);
  assert.equal((await call(cloud, "GET", "/v1/sandboxes")).status, 200);
});

Deno.test("LocalCloudFaults.delayNext holds the next requests", async () => {
  await using cloud = await startLocalCloud();
  cloud.faults.delayNext(1, 150);
  let started = performance.now();
  assert.equal((await call(cloud, "GET", "/v1/sandboxes")).status, 200);
  assert.ok(performance.now() - started >= 140);
  started = performance.now();
  assert.equal((await call(cloud, "GET", "/v1/sandboxes")).status, 200);
  assert.ok(performance.now() - started < 140);
});

Deno.test("LocalCloudFaults.delayNext is cut short by close()", async () => {
  const cloud = await startLocalCloud();
  cloud.faults.delayNext(1, 60_000);
  const pending = call(cloud, "GET", "/v1/sandboxes");
  while (cloud.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
  const started = performance.now();
  await cloud.close();
  assert.ok(performance.now() - started < 5000);
  assert.equal((await pending).status, 200);
});

Deno.test("LocalCloudFaults.dropNext makes reading the body reject in fetch", async () => {
  await using cloud = await startLocalCloud({ generation: "v0.5" });
  cloud.faults.dropNext(1);
  const res = await fetch(`${cloud.url}/v1/sandboxes`, {
    method: "POST",
    headers: { authorization: `Bearer ${cloud.apiKey}` },
    body: JSON.stringify(createBody("v0.5", "dropped")),
  });
  assert.equal(res.status, 200);
  await assert.rejects(res.text(), TypeError);
  assertError(await call(cloud, "GET", "/v1/sandboxes/by-name/dropped"), 404, "sandbox_not_found");
  assert.equal((await create(cloud, "kept")).name, "kept");
});

Deno.test("LocalCloudFaults.dropNext with afterRoute lets the route act, then cuts the answer", async () => {
  await using cloud = await startLocalCloud({ generation: "v0.5" });
  cloud.faults.dropNext(1, { afterRoute: true });
  const res = await fetch(`${cloud.url}/v1/sandboxes`, {
    method: "POST",
    headers: { authorization: `Bearer ${cloud.apiKey}` },
    body: JSON.stringify(createBody("v0.5", "made")),
  });
  assert.equal(res.status, 200);
  await assert.rejects(res.text(), TypeError);
  const found = await call(cloud, "GET", "/v1/sandboxes/by-name/made");
  assert.equal(found.json.status, "created");
});

Deno.test("LocalCloudFaults.dropNext afterRoute on a log stream releases the stream the route opened", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 0 });
  const { id } = await create(cloud, "cut", "?start=true&wait_for=running");
  cloud.faults.dropNext(1, { afterRoute: true });
  const res = await fetch(`${cloud.url}/v1/sandboxes/${id}/logs`, {
    headers: { authorization: `Bearer ${cloud.apiKey}`, accept: "text/event-stream" },
  });
  assert.equal(res.status, 200);
  await assert.rejects(res.text(), TypeError);
  // The cut answer replaced the route's: that stream, never sent, must not stay subscribed (a
  // follower left behind holds every command that writes to the log once the history is full).
  const deadline = Date.now() + 10_000;
  while (cloud.liveLogStreams() > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(cloud.liveLogStreams(), 0, "the log stream of the dropped answer is still live");
});

Deno.test("LocalCloudFaults.nextBoot fails or slows the next boot only", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 5 });
  cloud.faults.nextBoot({ fail: "kernel panic" });
  cloud.faults.nextBoot({ delayMs: 0 });
  const failed = await create(cloud, "a", "?start=true&wait_for=running");
  assert.equal(failed.status, "failed");
  assert.equal(failed.last_failure_message, "kernel panic");
  assert.equal((await create(cloud, "b", "?start=true")).status, "running");
  assert.equal((await create(cloud, "c", "?start=true&wait_for=running")).status, "running");
});

Deno.test("LocalCloudFaults.reset forgets every queued fault", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 0 });
  cloud.faults.failNext(5, { status: 500 });
  cloud.faults.delayNext(5, 60_000);
  cloud.faults.dropNext(5);
  cloud.faults.nextBoot({ fail: "no" });
  cloud.faults.reset();
  assert.equal((await call(cloud, "GET", "/v1/sandboxes")).status, 200);
  assert.equal((await create(cloud, "ok", "?start=true")).status, "running");
});

Deno.test("LocalCloudFaults refuses counts, delays and statuses out of range", async () => {
  await using cloud = await startLocalCloud();
  assert.throws(() => cloud.faults.failNext(-1, { status: 500 }), RangeError);
  assert.throws(() => cloud.faults.failNext(1.5, { status: 500 }), RangeError);
  assert.throws(() => cloud.faults.failNext(1, { status: 200 }), RangeError);
  assert.throws(() => cloud.faults.delayNext(1, -5), RangeError);
  assert.throws(() => cloud.faults.dropNext(NaN), RangeError);
  assert.throws(() => cloud.faults.nextBoot({ delayMs: -1 }), RangeError);
  cloud.faults.failNext(0, { status: 500 });
  assert.equal((await call(cloud, "GET", "/v1/sandboxes")).status, 200);
});

Deno.test("LocalCloudFaults.replyNext answers with the given body in order with failNext", async () => {
  await using cloud = await startLocalCloud();
  cloud.faults.replyNext(1, { body: "not json", contentType: "text/plain" });
  cloud.faults.failNext(1, { status: 503 });
  cloud.faults.replyNext(1, { status: 201, body: new TextEncoder().encode("{}") });
  const first = await call(cloud, "GET", "/v1/sandboxes");
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("content-type"), "text/plain");
  assert.equal(first.text, "not json");
  assertError(await call(cloud, "GET", "/v1/sandboxes"), 503, "service_unavailable");
  const third = await call(cloud, "GET", "/v1/sandboxes");
  assert.equal(third.status, 201);
  assert.equal(third.text, "{}");
  assert.equal((await call(cloud, "GET", "/v1/sandboxes")).status, 200);
  assert.throws(() => cloud.faults.replyNext(1, { status: 101, body: "" }), RangeError);
});

Deno.test("LocalCloudFaults.dropNext afterRoute cuts an exec upgrade like a plain drop, and the cloud serves on", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 0 });
  const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url, retry: { attempts: 1 } });
  const sandbox = await msb.sandboxes.create({ name: "cut", image: "alpine" });
  cloud.faults.dropNext(1, { afterRoute: true });
  await assert.rejects(sandbox.exec("echo", ["lost"]), MicrosandboxError);
  assert.equal((await sandbox.exec("echo", ["hi"])).stdoutText(), "hi\n");
  assert.equal((await msb.sandboxes.list()).sandboxes.length, 1);
});
