import assert from "node:assert/strict";
import {
  CloudHttpError,
  ConnectionError,
  Microsandbox,
  RateLimitedError,
  TimeoutError,
} from "../../mod.ts";
import { FAST_RETRY, requestLines, setup } from "../_cloud.ts";

Deno.test("Idempotent requests retry 502, 503 and 504 until they succeed", async () => {
  await using env = await setup("current");
  await env.msb.sandboxes.create({ name: "r", image: "alpine" }, { start: false });
  for (const status of [502, 503, 504] as const) {
    env.cloud.faults.failNext(2, { status });
    assert.equal((await env.msb.sandboxes.get("r")).name, "r");
  }
  const gets = requestLines(env.cloud).filter((line) => line.startsWith("GET"));
  assert.equal(gets.length, 9);
});

Deno.test("Retries honour Retry-After before the next attempt", async () => {
  await using env = await setup("current");
  env.cloud.faults.failNext(1, { status: 429, retryAfter: "1" });
  await env.msb.sandboxes.list();
  const [first, second] = env.cloud.requests;
  assert.ok(first && second);
  assert.ok(second.at - first.at >= 990, `waited only ${second.at - first.at} ms`);
});

Deno.test("Retries give up after the attempts allowed with the last error", async () => {
  await using env = await setup("current");
  env.cloud.faults.failNext(10, { status: 503 });
  await assert.rejects(
    env.msb.sandboxes.list(),
    (error: unknown) => error instanceof CloudHttpError && error.status === 503,
  );
  assert.equal(env.cloud.requests.length, FAST_RETRY.attempts);
});

Deno.test("Retries give up at once when Retry-After goes past the time allowed", async () => {
  await using env = await setup("current");
  env.cloud.faults.failNext(5, { status: 429, retryAfter: "30" });
  await assert.rejects(
    env.msb.sandboxes.list(),
    (error: unknown) => error instanceof RateLimitedError && error.retryAfter === 30_000,
  );
  assert.equal(env.cloud.requests.length, 1);
});

Deno.test("retry: false sends one attempt", async () => {
  await using env = await setup("current", { retry: false });
  env.cloud.faults.failNext(1, { status: 503 });
  await assert.rejects(env.msb.sandboxes.list(), CloudHttpError);
  assert.equal(env.cloud.requests.length, 1);
});

Deno.test("A create is retried on a 429 that says the server did not act, and only then", async () => {
  await using env = await setup("current");
  env.cloud.faults.failNext(1, { status: 429, code: "rate_limited" });
  await env.msb.sandboxes.create({ name: "c1", image: "alpine" });
  assert.equal(env.cloud.requests.length, 2);

  for (
    const options of [{ status: 503 }, { status: 429, code: "wait_capacity_exhausted" }, {
      status: 502,
    }] as const
  ) {
    const before: number = env.cloud.requests.length;
    env.cloud.faults.failNext(1, options);
    await assert.rejects(
      env.msb.sandboxes.create({ name: `c-${options.status}`, image: "alpine" }),
    );
    assert.equal(env.cloud.requests.length, before + 1, JSON.stringify(options));
  }
});

Deno.test("A cut connection is retried for a GET and reported for a create", async () => {
  await using env = await setup("current");
  env.cloud.faults.dropNext(1);
  assert.deepEqual((await env.msb.sandboxes.list()).sandboxes, []);
  assert.equal(env.cloud.requests.length, 2);
  env.cloud.faults.dropNext(1);
  await assert.rejects(
    env.msb.sandboxes.create({ name: "cut", image: "alpine" }),
    (error: unknown) =>
      error instanceof ConnectionError && error.message.startsWith("POST /v1/sandboxes: "),
  );
  // Not retried; the name is looked up once to remove a sandbox the lost answer may hide.
  assert.deepEqual(requestLines(env.cloud).slice(2), [
    "POST /v1/sandboxes?start=true&wait_for=running&wait_timeout=90",
    "GET /v1/sandboxes/by-name/cut",
  ]);
});

Deno.test("A refused connection is a ConnectionError after the retries", async () => {
  const env = await setup("current");
  await env.cloud.close();
  await assert.rejects(
    env.msb.sandboxes.list(),
    (error: unknown) =>
      error instanceof ConnectionError && error.kind === "Connection" &&
      error.cause instanceof Error,
  );
});

Deno.test("A unary request that outlasts its timeout fails with TimeoutError and is not retried", async () => {
  await using env = await setup("current", { timeout: 100 });
  env.cloud.faults.delayNext(1, 2_000);
  await assert.rejects(
    env.msb.sandboxes.list(),
    (error: unknown) =>
      error instanceof TimeoutError && error.name === "TimeoutError" &&
      error.message === "GET /v1/sandboxes: timed out after 100 ms",
  );
  assert.equal(env.cloud.requests.length, 1);
});

Deno.test("Aborting a request rejects with the signal's reason", async () => {
  await using env = await setup("current");
  env.cloud.faults.delayNext(1, 2_000);
  const controller = new AbortController();
  const listing = env.msb.sandboxes.list({ signal: controller.signal });
  setTimeout(() => controller.abort(new Error("user gave up")), 20);
  await assert.rejects(listing, /user gave up/);
  await assert.rejects(env.msb.sandboxes.get("x", { signal: AbortSignal.abort() }), {
    name: "AbortError",
  });
});

Deno.test("Aborting stops retrying at once", async () => {
  await using env = await setup("current", { retry: { ...FAST_RETRY, maxElapsed: 60_000 } });
  env.cloud.faults.failNext(5, { status: 503, retryAfter: "20" });
  const controller = new AbortController();
  const listing = env.msb.sandboxes.list({ signal: controller.signal });
  listing.catch(() => {});
  while (env.cloud.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  controller.abort(new Error("enough"));
  await assert.rejects(listing, /enough/);
  assert.equal(env.cloud.requests.length, 1);
});

Deno.test("The unary timeout does not cover the server's readiness wait", async () => {
  await using env = await setup("current", { timeout: 200 }, { bootDelayMs: 600 });
  const sandbox = await env.msb.sandboxes.create({ name: "patient", image: "alpine" }, {
    waitTimeoutSecs: 10,
  });
  assert.equal(sandbox.status, "running");
});

Deno.test("A custom fetch receives every request", async () => {
  await using env = await setup("current");
  const seen: string[] = [];
  const msb = new Microsandbox({
    apiKey: env.cloud.apiKey,
    url: env.cloud.url,
    fetch: (input, init) => {
      seen.push(`${init?.method} ${new URL(String(input)).pathname}`);
      return fetch(input, init);
    },
  });
  await msb.sandboxes.list();
  assert.deepEqual(seen, ["GET /v1/sandboxes"]);
});
