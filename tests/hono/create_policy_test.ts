// The create policy of `POST /`: which spec fields a browser may set, resource bounds, the
// app's own spec function, and slugs that no tenant can probe or take from another.
import assert from "node:assert/strict";
import { RouteError, sandboxRoutes } from "../../src/hono/mod.ts";
import { checkSlug } from "../../src/testing/rest/_slug.ts";
import { ACME, type AppSetup, appSetup, errorCode, GLOBEX, json } from "./_app.ts";

/** Posts a create body over HTTP as a tenant. */
function create(app: AppSetup, tenant: Record<string, string>, body: unknown): Promise<Response> {
  return fetch(app.base, json(tenant, body));
}

/** The status and error of a refusal (its body consumed). */
async function refusal(response: Response): Promise<[number, string, string]> {
  const { error } = await response.json();
  return [response.status, error.code, error.message];
}

/** How many create requests the cloud received. */
function creates(app: AppSetup): number {
  return app.env.cloud.requests.filter((r) =>
    r.method === "POST" && r.url.split("?", 1)[0] === "/v1/sandboxes"
  ).length;
}

Deno.test("POST / refuses a slug by default, the same whether another tenant holds it or not", async () => {
  await using app = await appSetup();
  const globex = await create(app, GLOBEX, { name: "globex-y", image: "alpine" });
  assert.equal(globex.status, 201);
  const held: string = (await globex.json()).slug;
  const before = creates(app);
  const taken = await create(app, ACME, { name: "acme-x", image: "alpine", slug: held });
  const free = await create(app, ACME, { name: "acme-x", image: "alpine", slug: "globex-free" });
  const answers = [await refusal(taken), await refusal(free)];
  assert.deepEqual(answers[0], [403, "forbidden", 'The field "slug" may not be set.']);
  assert.deepEqual(answers[1], answers[0]);
  assert.equal(creates(app), before, "no create reached the cloud");
  assert.equal((await app.env.msb.sandboxes.get("globex-y")).slug, held);
});

Deno.test("POST / sends a slug of its own that no other tenant can take in advance", async () => {
  await using app = await appSetup();
  // Another tenant (or organisation) of the cloud already holds the slug the name would give.
  await app.env.msb.sandboxes.create({ name: "globex-squat", image: "alpine", slug: "acme-x" });
  const created = await create(app, ACME, { name: "acme-x", image: "alpine" });
  assert.equal(created.status, 201);
  const { slug } = await created.json();
  assert.match(slug, /^acme-x-[a-z0-9]{10}$/);
  assert.equal((await app.env.msb.sandboxes.get("acme-x")).slug, slug);
});

Deno.test("POST / derives slugs that differ between similar names and follow the cloud's rule", async () => {
  await using app = await appSetup({ scope: undefined });
  const names = ["acme-x y", "acme-x-y", "acme-X_Y", `acme-${"é".repeat(120)}`, "日本", "--"];
  const slugs: string[] = [];
  for (const name of names) {
    const created = await create(app, ACME, { name, image: "alpine" });
    assert.equal(created.status, 201, name);
    slugs.push((await created.json()).slug);
  }
  for (const slug of slugs) assert.equal(checkSlug(slug), slug);
  assert.equal(new Set(slugs).size, slugs.length);
  assert.match(slugs[0]!, /^acme-x-y-[a-z0-9]{10}$/);
  assert.match(slugs[3]!, /^acme-e+-[a-z0-9]{10}$/);
  assert.match(slugs[4]!, /^sandbox-[a-z0-9]{10}$/);
  assert.match(slugs[5]!, /^sandbox-[a-z0-9]{10}$/);
});

Deno.test("POST / refuses registry, network, env and unknown fields by default with 403 naming them", async () => {
  await using app = await appSetup();
  const before = creates(app);
  const fields: [string, unknown][] = Object.entries({
    registry: { mode: "specific", credentialId: "cred_org_private" },
    network: { enabled: true },
    env: { TOKEN: "x" },
    labels: { team: "ci" },
    entrypoint: ["sh"],
    mounts: [{ type: "named", name: "org-secrets", guest: "/mnt" }],
    patches: [{ type: "text", path: "/etc/passwd", content: "", replace: true }],
    init: { cmd: "/bin/sh" },
    nonsense: 1,
  });
  fields.push(["__proto__", { polluted: true }]);
  for (const [field, value] of fields) {
    const body = `{"name":"acme-x","image":"alpine",${JSON.stringify(field)}:${
      JSON.stringify(value)
    }}`;
    const answer = await refusal(
      await fetch(app.base, { ...json(ACME, {}), body }),
    );
    assert.deepEqual(answer, [403, "forbidden", `The field "${field}" may not be set.`], field);
  }
  assert.equal(creates(app), before);
});

Deno.test("POST / bounds vcpus, memoryMib and diskSizeMib: 400 naming the field and the bound", async () => {
  await using app = await appSetup();
  const before = creates(app);
  const bodies: [Record<string, unknown>, string][] = [
    [{ vcpus: 3 }, '"vcpus" must be an integer from 1 to 2'],
    [{ vcpus: 0 }, '"vcpus" must be an integer from 1 to 2'],
    [{ vcpus: 1.5 }, '"vcpus" must be an integer from 1 to 2'],
    [{ vcpus: "2" }, '"vcpus" must be an integer from 1 to 2'],
    [{ memoryMib: 2049 }, '"memoryMib" must be an integer from 1 to 2048'],
    [{ diskSizeMib: 10241 }, '"diskSizeMib" must be an integer from 1 to 10240'],
    [{ image: "alpine latest" }, '"image" must be an image reference'],
    [{ image: "x".repeat(1025) }, '"image" must be an image reference'],
  ];
  for (const [fields, message] of bodies) {
    const body = { name: "acme-x", image: "alpine", ...fields };
    const [status, code, text] = await refusal(await create(app, ACME, body));
    assert.deepEqual([status, code], [400, "invalid_request"], JSON.stringify(fields));
    assert.ok(text.includes(message), text);
  }
  assert.equal(creates(app), before);
  const most = { name: "acme-big", image: "alpine", vcpus: 2, memoryMib: 2048, diskSizeMib: 10240 };
  assert.equal((await create(app, ACME, most)).status, 201);
  const stored = (await app.env.msb.sandboxes.get("acme-big")).spec;
  assert.deepEqual([stored.vcpus, stored.memoryMib, stored.diskSizeMib], [2, 2048, 10240]);
});

Deno.test("POST / takes the rule's own bounds and images", async () => {
  await using app = await appSetup({
    create: { images: ["python"], maxVcpus: 8, maxMemoryMib: 8192 },
  });
  const alpine = await create(app, ACME, { name: "acme-x", image: "alpine" });
  assert.deepEqual(await refusal(alpine), [403, "forbidden", "This image is not allowed."]);
  const big = await create(app, ACME, {
    name: "acme-x",
    image: "python",
    vcpus: 8,
    memoryMib: 8192,
  });
  assert.equal(big.status, 201);
  const stored = (await app.env.msb.sandboxes.get("acme-x")).spec;
  assert.deepEqual([stored.image, stored.vcpus, stored.memoryMib], ["python", 8, 8192]);
  const tooBig = await create(app, ACME, { name: "acme-y", image: "python", vcpus: 9 });
  assert.match((await refusal(tooBig))[2], /"vcpus" must be an integer from 1 to 8/);
});

Deno.test("POST / passes the fields the rule allows, type-checked, to the cloud", async () => {
  await using app = await appSetup({
    create: {
      images: (image, principal) => principal.tenant === "acme" && image === "alpine",
      fields: [
        "labels",
        "env",
        "ephemeral",
        "idleTimeoutSecs",
        "network",
        "workdir",
        "rlimits",
        "logLevel",
        "entrypoint",
        "registry",
        "pullPolicy",
      ],
    },
  });
  const body = {
    name: "acme-x",
    image: "alpine",
    labels: { team: "ci" },
    env: { MODE: "test" },
    ephemeral: false,
    idleTimeoutSecs: 300,
    network: { enabled: false },
    workdir: "/src",
    rlimits: [{ resource: "nofile", soft: 1024, hard: 2048 }],
    logLevel: "debug",
    entrypoint: ["sh", "-c"],
    registry: { mode: "anonymous" },
    pullPolicy: "always",
  };
  assert.equal((await create(app, ACME, body)).status, 201);
  const stored = (await app.env.msb.sandboxes.get("acme-x")).spec;
  assert.deepEqual(
    [stored.labels, stored.env, stored.idleTimeoutSecs, stored.network, stored.workdir],
    [{ team: "ci" }, { MODE: "test" }, 300, { enabled: false }, "/src"],
  );
  assert.deepEqual(
    [stored.rlimits, stored.logLevel, stored.entrypoint],
    [body.rlimits, "debug", ["sh", "-c"]],
  );
  const sent = JSON.parse(app.env.cloud.requests.find((r) => r.method === "POST")!.body);
  assert.deepEqual([sent.registry, sent.pull_policy], [{ mode: "anonymous" }, "always"]);
  const globex = await create(app, GLOBEX, { name: "globex-x", image: "alpine" });
  assert.equal(globex.status, 403, "the images function sees the principal");
  const before = creates(app);
  const wrong: Record<string, unknown> = {
    labels: { team: 1 },
    env: ["A=1"],
    ephemeral: "yes",
    idleTimeoutSecs: -1,
    network: { enabled: false, policy: "allow-all" },
    workdir: null,
    rlimits: [{ resource: "wings", soft: 1, hard: 1 }],
    logLevel: "loud",
    entrypoint: "sh",
    registry: { mode: "specific" },
    pullPolicy: "sometimes",
  };
  for (const [field, value] of Object.entries(wrong)) {
    const answer = await refusal(
      await create(app, ACME, { name: "acme-y", image: "alpine", [field]: value }),
    );
    assert.deepEqual(answer.slice(0, 2), [400, "invalid_request"], field);
    assert.match(answer[2], new RegExp(`^The field "${field}" must be `), field);
  }
  assert.equal(creates(app), before);
});

Deno.test("POST / with slug allowed takes the caller's slug, and 409 tells it exists somewhere", async () => {
  await using app = await appSetup({ create: { fields: ["slug"] } });
  const created = await create(app, ACME, { name: "acme-x", image: "alpine", slug: "acme-home" });
  assert.deepEqual([created.status, (await created.json()).slug], [201, "acme-home"]);
  const again = await create(app, GLOBEX, { name: "globex-x", image: "alpine", slug: "acme-home" });
  assert.deepEqual([again.status, await errorCode(again)], [409, "conflict"]);
  const bad = await create(app, ACME, { name: "acme-y", image: "alpine", slug: "Not A Slug" });
  assert.deepEqual((await refusal(bad)).slice(0, 2), [400, "invalid_request"]);
});

Deno.test("POST / with a create function sends the function's spec, scope and name still checked", async () => {
  await using app = await appSetup({
    create: (body, principal) => {
      if (body.size === "huge") throw new RouteError("forbidden", "Huge sandboxes are for admins.");
      const name = `${principal.tenant}-${String(body.title)}`;
      return { name, image: "alpine", labels: { tenant: principal.tenant } };
    },
  });
  const created = await create(app, ACME, { title: "docs", image: "ignored", env: { A: "1" } });
  assert.equal(created.status, 201);
  const made = await created.json();
  assert.equal(made.name, "acme-docs");
  assert.match(made.slug, /^acme-docs-[a-z0-9]{10}$/);
  const stored = (await app.env.msb.sandboxes.get("acme-docs")).spec;
  assert.deepEqual([stored.image, stored.labels, stored.env], ["alpine", { tenant: "acme" }, {}]);
  const huge = await create(app, ACME, { title: "big", size: "huge" });
  assert.deepEqual(await refusal(huge), [403, "forbidden", "Huge sandboxes are for admins."]);
  const badName = await create(app, ACME, { title: "a/b" });
  assert.deepEqual((await refusal(badName)).slice(0, 2), [400, "invalid_request"]);
});

Deno.test("POST / answers 404 for an out-of-scope name a create function returns, before any request", async () => {
  await using app = await appSetup({
    create: (body) => ({ name: String(body.name), image: "alpine" }),
  });
  const before = creates(app);
  const answer = await create(app, ACME, { name: "globex-secret" });
  assert.deepEqual((await refusal(answer)).slice(0, 2), [404, "not_found"]);
  assert.equal(creates(app), before);
});

Deno.test("POST / sends a create function's own slug as it is", async () => {
  await using app = await appSetup({
    create: (body) => ({ name: String(body.name), image: "alpine", slug: "fixed-slug" }),
  });
  const created = await create(app, ACME, { name: "acme-x" });
  assert.deepEqual([created.status, (await created.json()).slug], [201, "fixed-slug"]);
});

Deno.test("POST / sends no slug on the v0.5 wire, which has none", async () => {
  await using app = await appSetup({}, { generation: "v0.5" });
  const created = await create(app, ACME, { name: "acme-x", image: "alpine" });
  assert.equal(created.status, 201);
  const sent = app.env.cloud.requests.find((r) => r.method === "POST")!;
  assert.equal(JSON.parse(sent.body).slug, undefined);
  assert.equal((await created.json()).slug, undefined);
});

Deno.test("sandboxRoutes refuses a bad create option when it is built", () => {
  const build = (create: unknown) => () =>
    sandboxRoutes({ authorize: () => true, create: create as never });
  assert.throws(build(1), /options\.create must be a rule/);
  assert.throws(build(null), TypeError);
  assert.throws(build({ maxVcpu: 2 }), /no option "maxVcpu"/);
  for (const bad of [0, -1, 1.5, "2", Infinity]) {
    assert.throws(build({ maxVcpus: bad }), RangeError, String(bad));
  }
  assert.throws(build({ maxMemoryMib: 0 }), /maxMemoryMib must be a positive integer/);
  assert.throws(build({ maxDiskSizeMib: 0 }), /maxDiskSizeMib must be a positive integer/);
  assert.throws(build({ fields: "labels" }), /fields must be a list/);
  assert.throws(build({ fields: ["labels", "name"] }), /lists "name", which callers may not set/);
  assert.throws(build({ fields: ["vcpus"] }), TypeError);
  assert.throws(build({ fields: ["bogus"] }), /lists "bogus"/);
  for (const field of ["mounts", "patches", "init"]) {
    assert.throws(
      build({ fields: [field] }),
      new RegExp(`lists "${field}", which callers may not`),
    );
  }
  assert.throws(build({ images: "alpine" }), /images must be a list/);
  assert.throws(build({ images: [""] }), TypeError);
  assert.ok(build({ images: ["alpine"], maxVcpus: 4, fields: ["labels", "slug"] })());
  assert.ok(build(() => ({ name: "x", image: "alpine" }))());
});
