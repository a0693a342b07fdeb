import assert from "node:assert/strict";
import { Microsandbox } from "../../mod.ts";
import { sandboxRoutes } from "../../src/hono/mod.ts";
import { ACME, appSetup, running } from "./_app.ts";

interface ListAnswer {
  sandboxes: { name: string }[];
  nextCursor?: string;
}

/** Every cursor text the cloud answered or was asked with, from its own list calls. */
async function upstreamCursors(msb: Microsandbox): Promise<string[]> {
  const cursors: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await msb.sandboxes.list({ cursor, limit: 2 });
    cursor = page.hasMore ? page.nextCursor : undefined;
    if (cursor !== undefined) cursors.push(cursor);
  } while (cursor !== undefined && cursors.length < 20);
  return cursors;
}

function decodes(text: string): string {
  try {
    return atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return "";
  }
}

Deno.test("sandboxRoutes list cursors hold no upstream cursor and page through each sandbox once", async () => {
  await using app = await appSetup();
  const acme = ["acme-1", "acme-2", "acme-3", "acme-4", "acme-5"];
  for (const name of ["acme-1", "globex-1", "acme-2", "acme-3", "globex-2", "acme-4", "acme-5"]) {
    await running(app.env, name);
  }
  const upstream = await upstreamCursors(app.env.msb);
  assert.ok(upstream.length > 1);
  const seen: string[] = [];
  const given: string[] = [];
  let cursor: string | undefined;
  do {
    const query = cursor === undefined ? "?limit=2" : `?limit=2&cursor=${cursor}`;
    const page: ListAnswer = await (await fetch(`${app.base}${query}`, { headers: ACME })).json();
    seen.push(...page.sandboxes.map((s) => s.name));
    cursor = page.nextCursor;
    if (cursor !== undefined) given.push(cursor);
  } while (cursor !== undefined && given.length < 10);
  assert.deepEqual(seen.toSorted(), acme);
  assert.ok(given.length > 0, "the list took more than one request");
  for (const text of given) {
    assert.match(text, /^[A-Za-z0-9_-]+$/, "a URL-safe cursor");
    for (const secret of upstream) {
      assert.ok(!text.includes(secret), `${text} holds the upstream cursor ${secret}`);
      assert.ok(!decodes(text).includes(decodes(secret)), `${text} decodes to ${secret}`);
    }
    assert.doesNotMatch(decodes(text), /c1:\d/);
  }
});

Deno.test("sandboxRoutes refuses a tampered, foreign or upstream list cursor with 400 before any request", async () => {
  await using app = await appSetup();
  for (const name of ["acme-1", "acme-2", "acme-3"]) await running(app.env, name);
  const first: ListAnswer = await (await app.request("?limit=1", { headers: ACME })).json();
  const cursor = first.nextCursor!;
  const flipped = cursor.slice(0, 20) + (cursor[20] === "A" ? "B" : "A") + cursor.slice(21);
  const [upstream] = await upstreamCursors(app.env.msb);
  const other = sandboxRoutes({ authorize: () => ({}), client: app.env.msb });
  const foreign: ListAnswer = await (await other.request("?limit=1")).json();
  const before = app.env.cloud.requests.length;
  for (
    const bad of [flipped, cursor.slice(0, -2), upstream!, foreign.nextCursor!, "not-a-cursor"]
  ) {
    const response = await app.request(`?cursor=${encodeURIComponent(bad)}`, { headers: ACME });
    const body = await response.json();
    assert.deepEqual([response.status, body.error.code], [400, "invalid_request"], bad);
    assert.match(body.error.message, /cursor is not a cursor this list gave/);
  }
  assert.equal(app.env.cloud.requests.length, before, "no upstream request");
});

Deno.test("sandboxRoutes list cursors stay valid across instances that share cursorSecret", async () => {
  await using app = await appSetup({ cursorSecret: "shared-secret" });
  for (const name of ["acme-1", "acme-2"]) await running(app.env, name);
  const first: ListAnswer = await (await app.request("?limit=1", { headers: ACME })).json();
  const twin = sandboxRoutes({
    authorize: () => ({}),
    client: app.env.msb,
    cursorSecret: "shared-secret",
  });
  const response = await twin.request(`?limit=1&cursor=${first.nextCursor}`);
  assert.equal(response.status, 200);
  assert.deepEqual((await response.json()).sandboxes.map((s: { name: string }) => s.name), [
    "acme-2",
  ]);
  assert.throws(
    () => sandboxRoutes({ authorize: () => ({}), cursorSecret: "" }),
    /cursorSecret must be a non-empty string/,
  );
});

Deno.test("sandboxRoutes ends a list whose upstream repeats a cursor instead of repeating sandboxes", async () => {
  // One mapping rule: every next_cursor after the first is rewritten to the first, so the second
  // page answers the very cursor it was asked with.
  let stuck: string | undefined;
  const repeating: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const request = new Request(input, init);
    if (request.method !== "GET" || !new URL(request.url).pathname.endsWith("/sandboxes")) {
      return response;
    }
    const body = await response.json();
    if (typeof body.next_cursor === "string") body.next_cursor = stuck ??= body.next_cursor;
    return Response.json(body, { status: response.status });
  };
  const built: { client?: Microsandbox } = {};
  await using app = await appSetup({ client: () => built.client! });
  built.client = new Microsandbox({
    apiKey: app.env.cloud.apiKey,
    url: app.env.cloud.url,
    fetch: repeating,
  });
  for (const name of ["globex-1", "globex-2", "acme-1", "globex-3", "globex-4"]) {
    await running(app.env, name);
  }
  const before = app.env.cloud.requests.length;
  const response = await fetch(`${app.base}?limit=2`, { headers: ACME });
  const page: ListAnswer = await response.json();
  assert.deepEqual(page.sandboxes.map((s) => s.name), ["acme-1"]);
  assert.equal(page.nextCursor, undefined);
  assert.equal(
    app.env.cloud.requests.length - before,
    2,
    "two upstream pages, then the repeat ends it",
  );
});
