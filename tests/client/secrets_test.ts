import assert from "node:assert/strict";
import { Microsandbox, MicrosandboxError } from "../../mod.ts";
import { setup } from "../_cloud.ts";

Deno.test("The API key never shows in errors, bodies, URLs or inspection", async () => {
  await using env = await setup("current");
  const key = env.cloud.apiKey;
  const errors: unknown[] = [];
  const keep = (promise: Promise<unknown>) =>
    promise.then(() => assert.fail("expected an error"), (e) => errors.push(e));

  env.cloud.faults.failNext(1, { status: 500, code: "echo", message: `bad key ${key}` });
  await keep(env.msb.sandboxes.get("x"));
  env.cloud.faults.failNext(1, { status: 400, body: `plain text with ${key} inside` });
  await keep(env.msb.sandboxes.get("x"));
  await keep(env.msb.sandboxes.get("missing"));
  env.cloud.faults.delayNext(1, 1_000);
  await keep(new Microsandbox({ apiKey: key, url: env.cloud.url, timeout: 50 }).sandboxes.list());
  await keep(
    new Microsandbox({ apiKey: key, url: "http://127.0.0.1:9", retry: false }).sandboxes.list(),
  );
  await keep(env.msb.sandboxes.create({ name: "..", image: "i" }));

  assert.equal(errors.length, 6);
  for (const error of errors) {
    assert.ok(error instanceof MicrosandboxError);
    const seen = [
      error.message,
      error.stack,
      error.body,
      JSON.stringify(error),
      String(error.cause),
      Deno.inspect(error, { depth: 10 }),
    ];
    for (const text of seen) {
      assert.ok(!String(text).includes(key), `${error.kind} leaks the key: ${text}`);
    }
  }
  assert.match((errors[0] as MicrosandboxError).message, /bad key \[redacted\]/);
  assert.ok(!Deno.inspect(env.msb, { depth: 10 }).includes(key));
  assert.ok(!JSON.stringify(env.msb).includes(key));
  for (const request of env.cloud.requests) assert.ok(!request.url.includes(key));
});
