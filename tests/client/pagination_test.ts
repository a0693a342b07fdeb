import assert from "node:assert/strict";
import { InvalidConfigError, UnsupportedError } from "../../mod.ts";
import { GENERATIONS, requestLines, setup } from "../_cloud.ts";

for (const wire of GENERATIONS) {
  Deno.test(`Sandboxes.list pages with cursors and iteration walks every page (${wire})`, async () => {
    await using env = await setup(wire);
    const names = Array.from({ length: 45 }, (_, i) => `box-${String(i).padStart(2, "0")}`);
    for (const name of names) {
      await env.msb.sandboxes.create({ name, image: "alpine" }, { start: false });
    }

    const first = await env.msb.sandboxes.list({ limit: 20 });
    assert.equal(first.sandboxes.length, 20);
    assert.equal(first.hasMore, true);
    const second = await env.msb.sandboxes.list({ limit: 20, cursor: first.nextCursor });
    const third = await env.msb.sandboxes.list({ limit: 20, cursor: second.nextCursor });
    assert.equal(third.sandboxes.length, 5);
    assert.equal(third.hasMore, false);
    assert.equal(third.nextCursor, undefined);
    const paged = [...first.sandboxes, ...second.sandboxes, ...third.sandboxes].map((s) => s.name);
    assert.deepEqual(paged, names);

    const walked: string[] = [];
    for await (const sandbox of env.msb.sandboxes) walked.push(sandbox.name);
    assert.deepEqual(walked, names);

    const small: string[] = [];
    for await (const sandbox of env.msb.sandboxes.iterate({ limit: 7 })) small.push(sandbox.name);
    assert.deepEqual(small, names);
  });

  Deno.test(`Sandboxes.list refuses a limit outside 1 to 100 before any request (${wire})`, async () => {
    await using env = await setup(wire);
    await assert.rejects(env.msb.sandboxes.list({ limit: 101 }), InvalidConfigError);
    assert.equal(env.cloud.requests.length, 0);
  });
}

Deno.test("Sandboxes.list filters by labels on the current wire", async () => {
  await using env = await setup("current");
  await env.msb.sandboxes.create({ name: "a", image: "i", labels: { team: "x", tier: "1" } }, {
    start: false,
  });
  await env.msb.sandboxes.create({ name: "b", image: "i", labels: { team: "x" } }, {
    start: false,
  });
  await env.msb.sandboxes.create({ name: "c", image: "i" }, { start: false });
  const page = await env.msb.sandboxes.list({ labels: { team: "x", tier: "1" } });
  assert.deepEqual(page.sandboxes.map((s) => s.name), ["a"]);
  const team: string[] = [];
  for await (const s of env.msb.sandboxes.iterate({ labels: { team: "x" }, limit: 1 })) {
    team.push(s.name);
  }
  assert.deepEqual(team, ["a", "b"]);
  assert.match(requestLines(env.cloud).at(-1) ?? "", /labels=%7B%22team%22%3A%22x%22%7D/);
});

Deno.test("Sandboxes.list refuses labels on the v0.5 wire", async () => {
  await using env = await setup("v0.5");
  await assert.rejects(env.msb.sandboxes.list({ labels: { team: "x" } }), UnsupportedError);
});

Deno.test("Sandboxes.list sends the server's default on the current wire and nothing on v0.5", async () => {
  await using current = await setup("current");
  await current.msb.sandboxes.list();
  assert.deepEqual(requestLines(current.cloud), ["GET /v1/sandboxes?limit=20"]);
  await using seed = await setup("v0.5");
  await seed.msb.sandboxes.list();
  assert.deepEqual(requestLines(seed.cloud), ["GET /v1/sandboxes"]);
});
