// msb.volumes and the Volume handle over real HTTP against the local cloud: every operation,
// its typed errors, the requests it sends, and the v0.5 wire's refusals before any request.
import assert from "node:assert/strict";
import {
  InvalidConfigError,
  UnsupportedError,
  type Volume,
  VolumeAlreadyExistsError,
  VolumeNotFoundError,
} from "../../mod.ts";
import { requestLines, setup } from "../_cloud.ts";

const GIB = 2 ** 30;

Deno.test("Volumes.create sends name, labels and capacity_gib and returns a handle", async () => {
  await using env = await setup("current");
  const volume = await env.msb.volumes.create({
    name: "datasets",
    labels: { team: "ml" },
    quotaGib: 3,
  });
  assert.equal(volume.name, "datasets");
  assert.equal(volume.kind, "managed");
  assert.equal(volume.status, "active");
  assert.equal(volume.isDefault, false);
  assert.equal(volume.capacityBytes, 3 * GIB);
  assert.equal(volume.quotaGib, 3);
  assert.deepEqual(volume.labels, { team: "ml" });
  assert.equal(volume.usedBytes, undefined, "create does not sample usage");
  assert.ok(volume.createdAt instanceof Date && volume.updatedAt instanceof Date);
  const post = env.cloud.requests.find((request) => request.method === "POST")!;
  assert.deepEqual(JSON.parse(post.body), {
    name: "datasets",
    labels: { team: "ml" },
    capacity_gib: 3,
  });

  const plain = await env.msb.volumes.create({ name: "plain" });
  assert.equal(plain.quotaGib, undefined);
  assert.equal(plain.capacityBytes, undefined);
  const second = env.cloud.requests.filter((request) => request.method === "POST")[1]!;
  assert.deepEqual(JSON.parse(second.body), { name: "plain", labels: {} });
});

Deno.test("Volumes.create refuses a bad cap before any request, and the cloud a bad name", async () => {
  await using env = await setup("current");
  for (const quotaGib of [0, -1, 1.5, Number.NaN]) {
    await assert.rejects(
      env.msb.volumes.create({ name: "capped", quotaGib }),
      (error: unknown) =>
        error instanceof InvalidConfigError &&
        error.message.startsWith("POST /v1/volumes: quotaGib must be a whole number of GiB"),
    );
  }
  await assert.rejects(env.msb.volumes.create({ name: "" }), InvalidConfigError);
  assert.deepEqual(requestLines(env.cloud), []);
  await assert.rejects(
    env.msb.volumes.create({ name: "Not_Valid" }),
    (error: unknown) =>
      error instanceof InvalidConfigError && error.status === 400 &&
      error.code === "invalid_request",
  );
});

Deno.test("Volumes.create of a taken name rejects with VolumeAlreadyExistsError", async () => {
  await using env = await setup("current");
  await env.msb.volumes.create({ name: "twice" });
  await assert.rejects(
    env.msb.volumes.create({ name: "twice" }),
    (error: unknown) =>
      error instanceof VolumeAlreadyExistsError && error.kind === "VolumeAlreadyExists" &&
      error.status === 409 && error.code === "name_already_exists",
  );
});

Deno.test("Volumes.get and list find volumes by name, with their usage", async () => {
  await using env = await setup("current");
  const made = await env.msb.volumes.create({ name: "cache" });
  await made.fs.writeFile("/a.bin", new Uint8Array(1000));
  const found = await env.msb.volumes.get("cache");
  assert.equal(found.id, made.id);
  assert.equal(found.usedBytes, 1000);
  const all = await env.msb.volumes.list();
  assert.deepEqual(all.map((volume) => [volume.name, volume.kind]), [
    [undefined, "host"],
    ["cache", "managed"],
  ]);
  assert.ok(all.every((volume) => typeof volume.usedBytes === "number"));
  await assert.rejects(
    env.msb.volumes.get("nope"),
    (error: unknown) =>
      error instanceof VolumeNotFoundError &&
      error.message === 'GET /v1/volumes: no volume is named "nope"; list them with ' +
          "msb.volumes.list()",
  );
});

Deno.test("Volumes.default is the host volume, which cannot be capped or removed", async () => {
  await using env = await setup("current");
  const host = await env.msb.volumes.default();
  assert.equal(host.kind, "host");
  assert.equal(host.name, undefined);
  assert.ok(host.isDefault);
  assert.equal((await env.msb.volumes.list())[0]!.id, host.id);
  await assert.rejects(
    host.update({ quotaGib: 1 }),
    (error: unknown) =>
      error instanceof InvalidConfigError && error.status === 409 &&
      error.code === "invalid_request",
  );
  await assert.rejects(
    host.remove(),
    (error: unknown) => error instanceof InvalidConfigError && error.status === 409,
  );
  const relabelled = await host.update({ labels: { shared: "yes" } });
  assert.deepEqual(relabelled.labels, { shared: "yes" });
});

Deno.test("Volumes.update sets and clears the cap and replaces the labels", async () => {
  await using env = await setup("current");
  await env.msb.volumes.create({ name: "grow", labels: { a: "1" } });
  const capped = await env.msb.volumes.update("grow", { quotaGib: 7 });
  assert.equal(capped.quotaGib, 7);
  assert.deepEqual(capped.labels, { a: "1" }, "unset labels stay");
  const cleared = await capped.update({ quotaGib: null, labels: {} });
  assert.equal(cleared.quotaGib, undefined);
  assert.deepEqual(cleared.labels, {});
  const patches = env.cloud.requests.filter((request) => request.method === "PATCH");
  assert.deepEqual(patches.map((request) => JSON.parse(request.body)), [
    { capacity_gib: 7 },
    { capacity_gib: null, labels: {} },
  ]);
  assert.ok(patches.every((request) => request.url === `/v1/volumes/${capped.id}`));
  await assert.rejects(env.msb.volumes.update("grow", { quotaGib: 0 }), InvalidConfigError);
  await assert.rejects(env.msb.volumes.update("missing", { labels: {} }), VolumeNotFoundError);
});

Deno.test("Volumes.remove and Volume.remove delete by id; a second remove is VolumeNotFound", async () => {
  await using env = await setup("current");
  const first = await env.msb.volumes.create({ name: "first" });
  const second = await env.msb.volumes.create({ name: "second" });
  await env.msb.volumes.remove("first");
  await second.remove();
  assert.ok(requestLines(env.cloud).includes(`DELETE /v1/volumes/${first.id}`));
  assert.deepEqual((await env.msb.volumes.list()).map((volume) => volume.kind), ["host"]);
  await assert.rejects(env.msb.volumes.remove("first"), VolumeNotFoundError);
  await assert.rejects(
    second.remove(),
    (error: unknown) =>
      error instanceof VolumeNotFoundError && error.status === 404 &&
      error.code === "volume_not_found",
  );
  await assert.rejects(second.refresh(), VolumeNotFoundError);
  await assert.rejects(second.update({ labels: {} }), VolumeNotFoundError);
});

Deno.test("Volume.refresh reads the volume again", async () => {
  await using env = await setup("current");
  const volume = await env.msb.volumes.create({ name: "fresh" });
  await volume.fs.writeFile("/x", "12345");
  const again: Volume = await volume.refresh();
  assert.equal(again.id, volume.id);
  assert.equal(again.usedBytes, 5);
});

Deno.test("A volume body of the wrong shape is a ProtocolError naming the field", async () => {
  await using env = await setup("current");
  env.cloud.faults.replyNext(1, {
    status: 200,
    body: JSON.stringify([{ id: "x", kind: "disk", status: "active", labels: {} }]),
  });
  await assert.rejects(
    env.msb.volumes.list(),
    (error: unknown) =>
      error instanceof Error && error.name === "ProtocolError" &&
      error.message === "GET /v1/volumes: failed to decode body: `[0].kind` is not one of " +
          "host, managed",
  );
});

Deno.test("The v0.5 wire refuses every volume call before any request", async () => {
  await using env = await setup("v0.5");
  const calls: [string, () => Promise<unknown>][] = [
    ["volumes.create", () => env.msb.volumes.create({ name: "a" })],
    ["volumes.get", () => env.msb.volumes.get("a")],
    ["volumes.list", () => env.msb.volumes.list()],
    ["volumes.remove", () => env.msb.volumes.remove("a")],
    ["volumes.update", () => env.msb.volumes.update("a", { labels: {} })],
    ["volumes.default", () => env.msb.volumes.default()],
  ];
  for (const [feature, call] of calls) {
    await assert.rejects(call(), (error: unknown) => {
      assert.ok(error instanceof UnsupportedError, String(error));
      assert.equal(error.feature, feature);
      assert.equal(error.availableWhen, 'with wire: "current"');
      return true;
    });
  }
  assert.deepEqual(requestLines(env.cloud), []);
});
