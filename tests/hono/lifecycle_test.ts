import assert from "node:assert/strict";
import { sandboxRoutes } from "../../src/hono/mod.ts";
import { ACME, appSetup, errorCode, GLOBEX, json, running } from "./_app.ts";

Deno.test("sandboxRoutes refuses to build without authorize", () => {
  assert.throws(() => sandboxRoutes({} as never), TypeError);
  assert.throws(() => sandboxRoutes(undefined as never), /authorize is required/);
  assert.throws(() => sandboxRoutes({ authorize: () => true, maxBodyBytes: -1 }), RangeError);
  assert.throws(() => sandboxRoutes({ authorize: () => true, scope: 1 as never }), TypeError);
});

Deno.test("sandboxRoutes lists only the sandboxes in the principal's scope", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-one");
  await running(app.env, "globex-two");
  const acme = await (await app.request("", { headers: ACME })).json();
  assert.deepEqual(acme.sandboxes.map((s: { name: string }) => s.name), ["acme-one"]);
  const globex = await (await app.request("", { headers: GLOBEX })).json();
  assert.deepEqual(globex.sandboxes.map((s: { name: string }) => s.name), ["globex-two"]);
});

Deno.test("sandboxRoutes lists in pages: limit, nextCursor, each sandbox once", async () => {
  await using app = await appSetup();
  const acme = ["acme-1", "acme-2", "acme-3", "acme-4", "acme-5"];
  for (const name of [...acme, "globex-1", "globex-2"]) await running(app.env, name);
  const seen: string[] = [];
  let cursor: string | undefined;
  let requests = 0;
  do {
    const query = cursor === undefined
      ? "?limit=2"
      : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
    const page = await (await app.request(query, { headers: ACME })).json();
    assert.ok(page.sandboxes.length <= 3, "whole upstream pages, stopped once 2 are in scope");
    seen.push(...page.sandboxes.map((s: { name: string }) => s.name));
    cursor = page.nextCursor;
    requests++;
  } while (cursor !== undefined && requests < 10);
  assert.ok(requests > 1, "the list took more than one request");
  assert.deepEqual(seen.toSorted(), acme);
});

Deno.test("sandboxRoutes refuses a list limit outside 1 to 100 before any request, a bad cursor after", async () => {
  await using app = await appSetup();
  const before = app.env.cloud.requests.length;
  for (const limit of ["0", "101", "2.5", "many", ""]) {
    const response = await app.request(`?limit=${limit}`, { headers: ACME });
    assert.deepEqual([response.status, await errorCode(response)], [400, "invalid_request"], limit);
  }
  assert.equal(app.env.cloud.requests.length, before);
  const badCursor = await app.request("?cursor=not-a-cursor", { headers: ACME });
  assert.deepEqual([badCursor.status, await errorCode(badCursor)], [400, "invalid_request"]);
});

Deno.test("sandboxRoutes creates, reads, stops, starts and removes a sandbox", async () => {
  await using app = await appSetup();
  const created = await app.request("", json(ACME, { name: "acme-box", image: "alpine" }));
  assert.equal(created.status, 201);
  const sandbox = await created.json();
  assert.equal(sandbox.name, "acme-box");
  assert.equal(sandbox.image, "alpine");
  assert.equal(typeof sandbox.createdAt, "string");
  const read = await app.request("/acme-box", { headers: ACME });
  assert.deepEqual([read.status, (await read.json()).id], [200, sandbox.id]);
  const stopped = await app.request("/acme-box/stop", { method: "POST", headers: ACME });
  assert.equal(stopped.status, 200);
  assert.ok(["stopping", "stopped"].includes((await stopped.json()).status));
  while ((await app.env.msb.sandboxes.get("acme-box")).status !== "stopped") {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const started = await app.request("/acme-box/start", { method: "POST", headers: ACME });
  assert.deepEqual([started.status, (await started.json()).status], [200, "running"]);
  const removed = await app.request("/acme-box", { method: "DELETE", headers: ACME });
  assert.deepEqual([removed.status, await removed.text()], [204, ""]);
  const gone = await app.request("/acme-box", { headers: ACME });
  assert.deepEqual([gone.status, await errorCode(gone)], [404, "not_found"]);
});

Deno.test("sandboxRoutes answers 409 conflict for a name taken", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-taken");
  const response = await app.request("", json(ACME, { name: "acme-taken", image: "alpine" }));
  assert.deepEqual([response.status, await errorCode(response)], [409, "conflict"]);
});

Deno.test("sandboxRoutes answers 401 unauthorized on every route without a principal", async () => {
  await using app = await appSetup();
  const before = app.env.cloud.requests.length;
  const routes: [string, string][] = [
    ["GET", ""],
    ["POST", ""],
    ["GET", "/acme-x"],
    ["POST", "/acme-x/start"],
    ["POST", "/acme-x/stop"],
    ["DELETE", "/acme-x"],
    ["POST", "/acme-x/exec"],
    ["GET", "/acme-x/logs"],
    ["GET", "/acme-x/ws"],
    ["GET", "/acme-x/no/such/route"],
  ];
  for (const [method, path] of routes) {
    const response = await app.request(path, { method, headers: { authorization: "Bearer nope" } });
    assert.equal(response.status, 401, `${method} ${path}`);
    assert.equal(await errorCode(response), "unauthorized");
  }
  assert.equal(app.env.cloud.requests.length, before);
});

Deno.test("sandboxRoutes answers 404 not_found for another tenant's sandbox, before any request", async () => {
  await using app = await appSetup();
  await running(app.env, "globex-secret");
  const before = app.env.cloud.requests.length;
  const routes: [string, string][] = [
    ["GET", "/globex-secret"],
    ["POST", "/globex-secret/stop"],
    ["POST", "/globex-secret/start"],
    ["DELETE", "/globex-secret"],
    ["GET", "/globex-secret/logs"],
  ];
  for (const [method, path] of routes) {
    const response = await app.request(path, { method, headers: ACME });
    assert.deepEqual([response.status, await errorCode(response)], [404, "not_found"], path);
  }
  const exec = await app.request("/globex-secret/exec", json(ACME, { cmd: "echo" }));
  assert.deepEqual([exec.status, await errorCode(exec)], [404, "not_found"]);
  const create = await app.request("", json(ACME, { name: "globex-new", image: "alpine" }));
  assert.deepEqual([create.status, await errorCode(create)], [404, "not_found"]);
  assert.equal(app.env.cloud.requests.length, before);
});

Deno.test("sandboxRoutes answers 404 not_found for an unknown route", async () => {
  await using app = await appSetup();
  const response = await app.request("/acme-x/nothing/here", { headers: ACME });
  assert.deepEqual([response.status, await errorCode(response)], [404, "not_found"]);
});

Deno.test("sandboxRoutes answers 400 invalid_request for a bad create body", async () => {
  await using app = await appSetup();
  const before = app.env.cloud.requests.length;
  const bodies: [string, RegExp][] = [
    ["{not json", /not valid JSON/],
    ["[1]", /JSON object/],
    [JSON.stringify({ name: "acme-x" }), /"image"/],
    [JSON.stringify({ image: "alpine" }), /sandbox name/],
    [JSON.stringify({ name: "acme-x", image: 7 }), /"image"/],
  ];
  for (const [body, message] of bodies) {
    const response = await app.request("", {
      method: "POST",
      headers: { ...ACME, "content-type": "application/json" },
      body,
    });
    assert.equal(response.status, 400, body);
    const { error } = await response.json();
    assert.equal(error.code, "invalid_request");
    assert.match(error.message, message);
  }
  assert.equal(app.env.cloud.requests.length, before);
});

Deno.test("sandboxRoutes answers 501 unsupported for a spec field the wire cannot express", async () => {
  await using app = await appSetup({ create: { fields: ["hostname"] } });
  const response = await app.request(
    "",
    json(ACME, { name: "acme-x", image: "alpine", hostname: "h" }),
  );
  assert.equal(response.status, 501);
  assert.equal(await errorCode(response), "unsupported");
});

Deno.test("sandboxRoutes maps cloud failures to upstream_error and rate_limited", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-box");
  app.env.cloud.faults.failNext(10, { status: 500, message: "upstream secret detail" });
  const failed = await app.request("/acme-box", { headers: ACME });
  assert.equal(failed.status, 502);
  const { error } = await failed.json();
  assert.equal(error.code, "upstream_error");
  assert.doesNotMatch(error.message, /upstream secret detail/);
  app.env.cloud.faults.reset();
  app.env.cloud.faults.failNext(10, { status: 429, retryAfter: "0" });
  const limited = await app.request("/acme-box", { headers: ACME });
  assert.deepEqual([limited.status, await errorCode(limited)], [429, "rate_limited"]);
});

Deno.test("sandboxRoutes answers 501 unsupported for the WebSocket route without upgradeWebSocket", async () => {
  await using app = await appSetup({ upgradeWebSocket: undefined });
  const response = await app.request("/acme-x/ws?cmd=cat", { headers: ACME });
  assert.deepEqual([response.status, await errorCode(response)], [501, "unsupported"]);
});
