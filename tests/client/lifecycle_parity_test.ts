import assert from "node:assert/strict";
import {
  ConflictError,
  InvalidConfigError,
  Microsandbox,
  SandboxNotFoundError,
} from "../../mod.ts";
import { GENERATIONS, requestLines, setup } from "../_cloud.ts";

for (const wire of GENERATIONS) {
  Deno.test(`Sandbox.restart stops a running sandbox, starts it and waits for running (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await env.msb.sandboxes.create({ name: "again", image: "alpine" });
    const firstStart = sandbox.startedAt!;
    const mark = env.cloud.requests.length;
    assert.equal(await sandbox.restart(), sandbox);
    assert.equal(sandbox.status, "running");
    assert.ok(sandbox.startedAt!.getTime() >= firstStart.getTime());
    const lines = requestLines(env.cloud).slice(mark);
    const stop = lines.findIndex((line) =>
      line.startsWith("POST /v1/sandboxes/by-name/again/stop")
    );
    const start = lines.findIndex((line) =>
      line.startsWith("POST /v1/sandboxes/by-name/again/start")
    );
    assert.ok(stop >= 0 && start > stop, lines.join("\n"));
  });

  Deno.test(`Sandboxes.restart starts a stopped sandbox without a stop (${wire})`, async () => {
    await using env = await setup(wire);
    await env.msb.sandboxes.create({ name: "idle", image: "alpine" }, { start: false });
    const mark = env.cloud.requests.length;
    const sandbox = await env.msb.sandboxes.restart("idle");
    assert.equal(sandbox.status, "running");
    assert.ok(!requestLines(env.cloud).slice(mark).some((line) => line.includes("/stop")));
  });

  Deno.test(`Sandboxes.getOrCreate creates a missing sandbox, then finds it (${wire})`, async () => {
    await using env = await setup(wire);
    const made = await env.msb.sandboxes.getOrCreate({ name: "shared", image: "alpine" });
    assert.equal(made.status, "running");
    const mark = env.cloud.requests.length;
    const found = await env.msb.sandboxes.getOrCreate({ name: "shared", image: "alpine" });
    assert.equal(found.id, made.id);
    assert.deepEqual(requestLines(env.cloud).slice(mark), ["GET /v1/sandboxes/by-name/shared"]);
  });

  Deno.test(`Sandboxes.getOrCreate starts a stopped sandbox it finds, unless start is false (${wire})`, async () => {
    await using env = await setup(wire);
    const made = await env.msb.sandboxes.create({ name: "rest", image: "alpine" }, {
      start: false,
    });
    const asIs = await env.msb.sandboxes.getOrCreate({ name: "rest", image: "alpine" }, {
      start: false,
    });
    assert.equal(asIs.status, "created");
    const started = await env.msb.sandboxes.getOrCreate({ name: "rest", image: "alpine" });
    assert.equal(started.id, made.id);
    assert.equal(started.status, "running");
  });

  Deno.test(`Sandboxes.getOrCreate reads the winner's sandbox when a create races it to a 409 (${wire})`, async () => {
    await using env = await setup(wire);
    let raced = false;
    // Another caller creates the name just after our lookup found nothing.
    const racing = {
      fetch: async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
        const response = await fetch(input, init);
        if (!raced && response.status === 404) {
          raced = true;
          await env.msb.sandboxes.create({ name: "race", image: "alpine" });
        }
        return response;
      },
    };
    const loser = new Microsandbox({
      apiKey: env.cloud.apiKey,
      url: env.cloud.url,
      wire,
      fetch: racing.fetch,
    });
    const winner = await env.msb.sandboxes.get("race").catch(() => undefined);
    assert.equal(winner, undefined);
    const got = await loser.sandboxes.getOrCreate({ name: "race", image: "alpine" });
    assert.ok(raced);
    assert.equal(got.id, (await env.msb.sandboxes.get("race")).id);
    assert.equal(got.status, "running");
    // Two creates: the winner's, and ours that met the 409.
    const creates = requestLines(env.cloud).filter((line) =>
      /^POST \/v1\/sandboxes(\?|$)/.test(line)
    );
    assert.equal(creates.length, 2);
  });

  Deno.test(`Sandboxes.getOrCreate checks the spec before any request (${wire})`, async () => {
    await using env = await setup(wire);
    await assert.rejects(
      env.msb.sandboxes.getOrCreate({ name: "bad", image: "alpine", vcpus: 0 }),
      InvalidConfigError,
    );
    assert.deepEqual(env.cloud.requests, []);
  });

  Deno.test(`Sandbox.destroy stops and removes its sandbox; one already gone is fine (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await env.msb.sandboxes.create({ name: "doomed", image: "alpine" });
    const mark = env.cloud.requests.length;
    await sandbox.destroy();
    await assert.rejects(env.msb.sandboxes.get("doomed"), SandboxNotFoundError);
    const lines = requestLines(env.cloud).slice(mark);
    const at = wire === "current" ? `/v1/sandboxes/${sandbox.id}` : "/v1/sandboxes/by-name/doomed";
    assert.ok(lines.includes(`POST ${at}/stop`), lines.join("\n"));
    assert.ok(lines.includes(`DELETE ${at}`), lines.join("\n"));
    await sandbox.destroy();
  });

  Deno.test(`Sandbox.destroy refuses a sandbox recreated under the same name and leaves it be (${wire})`, async () => {
    await using env = await setup(wire);
    const old = await env.msb.sandboxes.create({ name: "reborn", image: "alpine" });
    await env.msb.sandboxes.remove("reborn");
    const reborn = await env.msb.sandboxes.create({ name: "reborn", image: "alpine" });
    await assert.rejects(old.destroy(), (error: unknown) => {
      assert.ok(error instanceof ConflictError, String(error));
      assert.equal(error.kind, "Conflict");
      assert.match(error.message, new RegExp(`id ${reborn.id}, this handle's is ${old.id}`));
      return true;
    });
    const still = await env.msb.sandboxes.get("reborn");
    assert.equal(still.id, reborn.id);
    assert.equal(still.status, "running");
  });

  Deno.test(`Sandbox.destroy removes a sandbox that is not running without a stop (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await env.msb.sandboxes.create({ name: "cold", image: "alpine" }, {
      start: false,
    });
    const mark = env.cloud.requests.length;
    await sandbox.destroy();
    assert.ok(!requestLines(env.cloud).slice(mark).some((line) => line.includes("/stop")));
    await assert.rejects(env.msb.sandboxes.get("cold"), SandboxNotFoundError);
  });
}
