// Type-level checks of the RPC schema: `hc` from hono/client gives typed calls.
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { hc } from "hono/client";
import { Microsandbox } from "../../mod.ts";
import {
  type ExecResultJson,
  type RouteErrorBody,
  type SandboxJson,
  sandboxRoutes,
  type SandboxRoutesSchema,
} from "../../src/hono/mod.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true
  : false;

Deno.test("hc over SandboxRoutesSchema types the list and exec calls and their answers", async () => {
  const client = new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" });
  const routes: Hono<Record<never, never>, SandboxRoutesSchema> = sandboxRoutes({
    authorize: () => null,
    client,
  });
  const api = hc<typeof routes>("http://app.test", {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => routes.request(input, init),
  });

  const list = await api.index.$get({ query: {} });
  if (list.status === 200) {
    type Page = { sandboxes: SandboxJson[]; nextCursor?: string };
    const ok: Equal<Awaited<ReturnType<typeof list.json>>, Page> = true;
    assert.ok(ok);
  } else {
    const failed: Equal<Awaited<ReturnType<typeof list.json>>, RouteErrorBody> = true;
    assert.ok(failed);
    assert.deepEqual([list.status, (await list.json()).error.code], [401, "unauthorized"]);
  }

  const exec = await api[":name"].exec.$post({ param: { name: "box" }, json: { cmd: "echo" } });
  if (exec.status === 200) {
    const ok: Equal<Awaited<ReturnType<typeof exec.json>>, ExecResultJson> = true;
    assert.ok(ok);
  } else {
    assert.deepEqual([exec.status, (await exec.json()).error.code], [401, "unauthorized"]);
  }

  const created = await api.index.$post({ json: { name: "box", image: "alpine", vcpus: 2 } });
  assert.equal(created.status, 401);
  // @ts-expect-error: the default create rule takes no env
  await api.index.$post({ json: { name: "box", image: "alpine", env: { A: "1" } } });

  // @ts-expect-error: exec needs a json body with cmd
  await api[":name"].exec.$post({ param: { name: "box" }, json: { args: [] } });
  const base64 = await api[":name"].exec.$post({
    param: { name: "box" },
    json: { cmd: "echo" },
    query: { encoding: "base64" },
  });
  assert.equal(base64.status, 401);
  await api[":name"].exec.$post({
    param: { name: "box" },
    json: { cmd: "echo" },
    // @ts-expect-error: the encodings are utf-8 and base64
    query: { encoding: "hex" },
  });
});
