import assert from "node:assert/strict";
import { startLocalCloud, type WireGeneration } from "../../src/testing/mod.ts";
import { assertError, call, create } from "./_client.ts";

const GENERATIONS: readonly WireGeneration[] = ["current", "v0.5"];

for (const generation of GENERATIONS) {
  Deno.test(`startLocalCloud (${generation}) pages through every sandbox once, in order`, async () => {
    await using cloud = await startLocalCloud({ generation });
    const names = Array.from({ length: 45 }, (_, i) => `sb-${String(i).padStart(2, "0")}`);
    for (const name of names) await create(cloud, name);
    const pages: string[][] = [];
    let query = "?limit=20";
    for (;;) {
      const page = (await call(cloud, "GET", `/v1/sandboxes${query}`)).json;
      pages.push(page.data.map((s: { name: string }) => s.name));
      if (generation === "current") assert.equal(page.has_more, page.next_cursor !== null);
      else assert.ok(!("has_more" in page));
      if (page.next_cursor === null) break;
      assert.equal(typeof page.next_cursor, "string");
      query = `?limit=20&cursor=${encodeURIComponent(page.next_cursor)}`;
    }
    assert.deepEqual(pages.map((page) => page.length), [20, 20, 5]);
    assert.deepEqual(pages.flat(), names);
    const firstPage = (await call(cloud, "GET", "/v1/sandboxes")).json;
    assert.equal(firstPage.data.length, 20);
    const all = (await call(cloud, "GET", "/v1/sandboxes?limit=100")).json;
    assert.equal(all.data.length, 45);
    assert.equal(all.next_cursor, null);
    if (generation === "current") assert.equal(all.has_more, false);
  });

  Deno.test(`startLocalCloud (${generation}) keeps a cursor valid across deletions`, async () => {
    await using cloud = await startLocalCloud({ generation });
    for (const name of ["a", "b", "c", "d", "e"]) await create(cloud, name);
    const first = (await call(cloud, "GET", "/v1/sandboxes?limit=2")).json;
    assert.deepEqual(first.data.map((s: { name: string }) => s.name), ["a", "b"]);
    await call(cloud, "DELETE", "/v1/sandboxes/by-name/b");
    await call(cloud, "DELETE", "/v1/sandboxes/by-name/c");
    const rest =
      (await call(cloud, "GET", `/v1/sandboxes?limit=2&cursor=${first.next_cursor}`)).json;
    assert.deepEqual(rest.data.map((s: { name: string }) => s.name), ["d", "e"]);
    assert.equal(rest.next_cursor, null);
  });

  Deno.test(`startLocalCloud (${generation}) refuses a bad limit or cursor`, async () => {
    await using cloud = await startLocalCloud({ generation });
    await create(cloud, "only");
    for (const limit of ["0", "101", "-1", "1.5", "abc", "", "1e2", "99999999999999999999"]) {
      assertError(await call(cloud, "GET", `/v1/sandboxes?limit=${limit}`), 400, "invalid_request");
    }
    assert.equal((await call(cloud, "GET", "/v1/sandboxes?limit=1")).json.data.length, 1);
    assert.equal((await call(cloud, "GET", "/v1/sandboxes?limit=100")).json.data.length, 1);
    for (const cursor of ["nope", "%%%", "YWJj", btoa("c1:x")]) {
      const reply = await call(cloud, "GET", `/v1/sandboxes?cursor=${encodeURIComponent(cursor)}`);
      assertError(reply, 400, "invalid_request");
    }
    assert.equal((await call(cloud, "GET", "/v1/sandboxes?cursor=")).json.data.length, 1);
  });
}

Deno.test("startLocalCloud (current) filters the list by labels, AND-matched", async () => {
  await using cloud = await startLocalCloud();
  const sandboxes = [
    ["one", { team: "a", env: "prod" }],
    ["two", { team: "a" }],
    ["three", { team: "b", env: "prod" }],
    ["four", {}],
  ] as const;
  for (const [name, labels] of sandboxes) {
    await call(cloud, "POST", "/v1/sandboxes", {
      body: { name, labels, image: { type: "oci", reference: "alpine" } },
    });
  }
  const list = async (labels: string): Promise<string[]> => {
    const reply = await call(cloud, "GET", `/v1/sandboxes?labels=${encodeURIComponent(labels)}`);
    assert.equal(reply.status, 200, reply.text);
    return reply.json.data.map((s: { name: string }) => s.name);
  };
  assert.deepEqual(await list('{"team":"a"}'), ["one", "two"]);
  assert.deepEqual(await list('{"team":"a","env":"prod"}'), ["one"]);
  assert.deepEqual(await list('{"env":"prod"}'), ["one", "three"]);
  assert.deepEqual(await list('{"team":"c"}'), []);
  assert.deepEqual(await list("{}"), ["one", "two", "three", "four"]);
  const paged = (await call(
    cloud,
    "GET",
    `/v1/sandboxes?limit=1&labels=${encodeURIComponent('{"env":"prod"}')}`,
  )).json;
  assert.deepEqual(paged.data.map((s: { name: string }) => s.name), ["one"]);
  assert.equal(paged.has_more, true);
  const next = `/v1/sandboxes?limit=1&cursor=${paged.next_cursor}&labels=${
    encodeURIComponent('{"env":"prod"}')
  }`;
  const last = (await call(cloud, "GET", next)).json;
  assert.deepEqual(last.data.map((s: { name: string }) => s.name), ["three"]);
  assert.equal(last.has_more, false);
  for (const labels of ["team", "[]", '{"a":1}', '"x"', "null", "{"]) {
    const reply = await call(cloud, "GET", `/v1/sandboxes?labels=${encodeURIComponent(labels)}`);
    assertError(reply, 400, "invalid_request");
  }
});

Deno.test("startLocalCloud (v0.5) ignores the labels filter", async () => {
  await using cloud = await startLocalCloud({ generation: "v0.5" });
  await create(cloud, "x");
  const reply = await call(
    cloud,
    "GET",
    `/v1/sandboxes?labels=${encodeURIComponent('{"team":"a"}')}`,
  );
  assert.equal(reply.json.data.length, 1);
  assert.equal((await call(cloud, "GET", "/v1/sandboxes?labels=garbage")).status, 200);
});
