import assert from "node:assert/strict";
import { checkSandboxName, isValidSandboxName, RouteError } from "../../src/hono/mod.ts";
import { ACME, appSetup, errorCode, json, running } from "./_app.ts";

/**
 * A refusal: 400 `invalid_request` from the routes, or 404 (the routes' `not_found`, or the
 * app's own 404 when the URL's `..` took the path out of the mount).
 */
async function assertRefused(response: Response, what: string): Promise<void> {
  assert.ok([400, 404].includes(response.status), `${what}: ${response.status}`);
  if (response.status === 400) assert.equal(await errorCode(response), "invalid_request", what);
  else await response.body?.cancel();
}

Deno.test("isValidSandboxName refuses empty, dot names, separators, control characters and long names", () => {
  for (const name of ["acme-1", "a.b", "x".repeat(128), "ünïcode"]) {
    assert.ok(isValidSandboxName(name), name);
  }
  for (
    const name of ["", ".", "..", "a/b", "a\\b", "a\u0000b", "a\nb", "a\u007fb", "x".repeat(129)]
  ) {
    assert.ok(!isValidSandboxName(name), JSON.stringify(name));
  }
  assert.throws(() => checkSandboxName(undefined), RouteError);
  assert.throws(
    () => checkSandboxName(".."),
    (error: unknown) => error instanceof RouteError && error.code === "invalid_request",
  );
});

Deno.test("sandboxRoutes refuses path-injection names with 400 or 404 and sends nothing upstream", async () => {
  await using app = await appSetup({ scope: () => true });
  await running(app.env, "acme-box");
  const before = app.env.cloud.requests.length;
  const paths = [
    "/..%2Fadmin",
    "/acme%2F..%2Fx",
    "/%2E%2E",
    "/%2e%2e/exec",
    "/acme%5Cx",
    "/acme%00x",
    "/acme%0Ax/logs",
    "/acme%7Fx/stop",
    `/${"x".repeat(129)}`,
  ];
  for (const path of paths) {
    for (const method of ["GET", "POST", "DELETE"]) {
      const response = await app.request(path, { method, headers: ACME });
      await assertRefused(response, `${method} ${path}`);
    }
  }
  const exec = await app.request("/acme%2Fx/exec", json(ACME, { cmd: "echo" }));
  assert.deepEqual([exec.status, await errorCode(exec)], [400, "invalid_request"]);
  const create = await app.request("", json(ACME, { name: "../acme", image: "alpine" }));
  assert.deepEqual([create.status, await errorCode(create)], [400, "invalid_request"]);
  assert.equal(app.env.cloud.requests.length, before);
});

Deno.test("sandboxRoutes refuses path-injection names over a real socket too", async () => {
  await using app = await appSetup({ scope: () => true });
  const before = app.env.cloud.requests.length;
  for (const path of ["/a%2Fb", "/%2E%2E", "/a%00b/logs", "/..%2F..%2Fv1%2Fsandboxes"]) {
    const response = await fetch(`${app.base}${path}`, { headers: ACME });
    await assertRefused(response, path);
  }
  assert.equal(app.env.cloud.requests.length, before);
});
