// The by-id routes and PATCH rename/slug over real HTTP against the local cloud.
import assert from "node:assert/strict";
import { InvalidConfigError, SandboxAlreadyExistsError, SandboxNotFoundError } from "../../mod.ts";
import { requestLines, setup } from "../_cloud.ts";
import { unsupportedOnV05 } from "../_unsupported.ts";

Deno.test("Sandboxes start, stop, get and remove by id on the current wire", async () => {
  await using env = await setup("current");
  const { sandboxes } = env.msb;
  const made = await sandboxes.create({ name: "by-id", image: "alpine" }, { start: false });
  const started = await sandboxes.startById(made.id);
  assert.equal(started.status, "running");
  const stopped = await sandboxes.stopById(made.id);
  assert.equal(stopped.status, "stopped");
  assert.equal((await sandboxes.getById(made.id.toUpperCase())).name, "by-id");
  await sandboxes.removeById(made.id);
  await assert.rejects(sandboxes.getById(made.id), SandboxNotFoundError);
  const lines = requestLines(env.cloud).filter((line) => line.includes(made.id));
  assert.ok(
    lines.some((line) => line.startsWith(`POST /v1/sandboxes/${made.id}/start?`)),
    lines.join(),
  );
  assert.ok(lines.includes(`POST /v1/sandboxes/${made.id}/stop`));
  assert.ok(lines.includes(`DELETE /v1/sandboxes/${made.id}`));
});

Deno.test("Sandbox.update renames and changes the slug; the handle follows", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "old", image: "alpine" }, {
    start: false,
  });
  await sandbox.update({ name: "new" });
  assert.equal(sandbox.name, "new");
  assert.equal((await env.msb.sandboxes.get("new")).id, sandbox.id);
  await sandbox.update({ slug: "new-slug" });
  assert.equal(sandbox.slug, "new-slug");
  assert.equal(sandbox.name, "new");
  const both = await env.msb.sandboxes.updateById(sandbox.id, { name: "third", slug: "third" });
  assert.equal(both.name, "third");
  assert.equal(both.slug, "third");
  const patch = env.cloud.requests.filter((request) => request.method === "PATCH");
  assert.deepEqual(patch.map((request) => JSON.parse(request.body)), [
    { name: "new" },
    { slug: "new-slug" },
    { name: "third", slug: "third" },
  ]);
  await both.remove();
});

Deno.test("Sandbox.update maps a taken name or slug to SandboxAlreadyExistsError (409)", async () => {
  await using env = await setup("current");
  const a = await env.msb.sandboxes.create({ name: "a", image: "alpine" }, { start: false });
  const b = await env.msb.sandboxes.create({ name: "b", image: "alpine" }, { start: false });
  for (const change of [{ name: "a" }, { slug: a.slug }]) {
    const error = await b.update(change).catch((e) => e);
    assert.ok(error instanceof SandboxAlreadyExistsError, String(error));
    assert.equal(error.status, 409);
    assert.equal(error.kind, "SandboxAlreadyExists");
  }
  assert.equal(b.name, "b");
});

Deno.test("Sandbox.update maps an ill-formed slug to InvalidConfigError (400)", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "s", image: "alpine" }, { start: false });
  const error = await sandbox.update({ slug: "Not A Slug!" }).catch((e) => e);
  assert.ok(error instanceof InvalidConfigError, String(error));
  assert.equal(error.status, 400);
  assert.equal(error.code, "invalid_request");
});

Deno.test("The by-id calls refuse a bad id or an empty change before any request", async () => {
  await using env = await setup("current");
  const { sandboxes } = env.msb;
  const invalid = (error: unknown) =>
    error instanceof InvalidConfigError && error.status === undefined;
  for (const id of ["", ".", ".."]) {
    await assert.rejects(sandboxes.getById(id), invalid);
    await assert.rejects(sandboxes.startById(id), invalid);
    await assert.rejects(sandboxes.stopById(id), invalid);
    await assert.rejects(sandboxes.removeById(id), invalid);
    await assert.rejects(sandboxes.updateById(id, { name: "x" }), invalid);
  }
  await assert.rejects(
    sandboxes.updateById(crypto.randomUUID(), {}),
    (error) => invalid(error) && /new name or a new slug/.test((error as Error).message),
  );
  assert.equal(env.cloud.requests.length, 0);
});

Deno.test("The by-id calls answer 404 for an unknown id with SandboxNotFoundError", async () => {
  await using env = await setup("current");
  const id = crypto.randomUUID();
  const { sandboxes } = env.msb;
  for (const call of [sandboxes.startById(id), sandboxes.stopById(id), sandboxes.removeById(id)]) {
    const error = await call.catch((e) => e);
    assert.ok(error instanceof SandboxNotFoundError, String(error));
    assert.equal(error.status, 404);
  }
  await assert.rejects(sandboxes.updateById(id, { name: "x" }), SandboxNotFoundError);
});

Deno.test("The by-id calls refuse on the v0.5 wire before any request", async () => {
  await using env = await setup("v0.5");
  const { sandboxes } = env.msb;
  const id = crypto.randomUUID();
  await assert.rejects(sandboxes.getById(id), unsupportedOnV05("getById"));
  await assert.rejects(sandboxes.startById(id), unsupportedOnV05("startById"));
  await assert.rejects(sandboxes.stopById(id), unsupportedOnV05("stopById"));
  await assert.rejects(sandboxes.removeById(id), unsupportedOnV05("removeById"));
  await assert.rejects(sandboxes.updateById(id, { name: "x" }), unsupportedOnV05("update"));
  assert.equal(env.cloud.requests.length, 0);
});
