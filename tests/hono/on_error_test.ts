import assert from "node:assert/strict";
import { CloudHttpError } from "../../mod.ts";
import { sandboxRoutes } from "../../src/hono/mod.ts";
import { ACME, appSetup, errorCode, running } from "./_app.ts";

Deno.test("onError is told of the failures answered with a 5xx status, and only those", async () => {
  const told: { error: unknown; path: string }[] = [];
  await using app = await appSetup({
    onError: (error, c) => told.push({ error, path: new URL(c.req.url).pathname }),
  });
  await running(app.env, "acme-box");
  app.env.cloud.faults.failNext(5, { status: 500, message: "disk on fire" });
  const failed = await app.request("/acme-box", { headers: ACME });
  app.env.cloud.faults.reset();
  assert.equal(failed.status, 502);
  assert.equal(await errorCode(failed), "upstream_error");
  assert.equal(told.length, 1);
  assert.ok(told[0]!.error instanceof CloudHttpError);
  assert.equal((told[0]!.error as CloudHttpError).status, 500);
  assert.equal(told[0]!.path, "/api/sandboxes/acme-box");

  for (const [path, status] of [["/acme-nothing", 404], ["/globex-box", 404]] as const) {
    const refused = await app.request(path, { headers: ACME });
    await refused.body?.cancel();
    assert.equal(refused.status, status);
  }
  await (await app.request("/acme-box")).body?.cancel(); // 401
  assert.equal(told.length, 1, "client errors are not reported");
});

Deno.test("a throwing onError does not change the answer", async () => {
  await using app = await appSetup({
    onError: () => {
      throw new Error("the logger is down");
    },
  });
  await running(app.env, "acme-box");
  app.env.cloud.faults.failNext(5, { status: 503, message: "busy" });
  const failed = await app.request("/acme-box", { headers: ACME });
  app.env.cloud.faults.reset();
  assert.equal(failed.status, 502);
  assert.equal(await errorCode(failed), "upstream_error");
});

Deno.test("sandboxRoutes refuses an onError that is not a function", () => {
  assert.throws(
    () => sandboxRoutes({ authorize: () => null, onError: "console.log" as never }),
    { name: "TypeError", message: "sandboxRoutes: options.onError must be a function" },
  );
});

Deno.test("onError is not told of a request whose client went away before the answer", async () => {
  const told: unknown[] = [];
  await using app = await appSetup({ onError: (error) => told.push(error) });
  await running(app.env, "acme-box");
  app.env.cloud.faults.delayNext(1, 2_000);
  const gone = new AbortController();
  const pending = fetch(`${app.base}/acme-box/logs`, { headers: ACME, signal: gone.signal });
  while (!app.env.cloud.requests.some((request) => request.url.includes("/by-name/acme-box"))) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  gone.abort();
  await assert.rejects(pending);
  // The route fails as soon as its request to the cloud is aborted; a later request has seen it.
  await (await app.request("/acme-box", { headers: ACME })).body?.cancel();
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(told, []);
});
