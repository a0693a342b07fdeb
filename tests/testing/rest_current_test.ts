import assert from "node:assert/strict";
import { startLocalCloud } from "../../src/testing/mod.ts";
import { assertError, call, create } from "./_client.ts";

/** The body SDK 0.6.18 sends (captured-wire.md), every default spelled out. */
const SDK_BODY = {
  name: "cap6",
  image: { type: "oci", reference: "alpine" },
  resources: { vcpus: 1, memory_mib: 512 },
  runtime: {
    workdir: null,
    shell: null,
    scripts: {},
    entrypoint: null,
    cmd: null,
    user: null,
    log_level: null,
  },
  env: [{ key: "A", value: "1" }],
  labels: {},
  rlimits: [],
  mounts: [],
  patches: [],
  network: { enabled: true, strict: false },
  init: null,
  pull_policy: "if_missing",
  security_profile: "default",
  lifecycle: { ephemeral: false, max_duration_secs: null, idle_timeout_secs: null },
};

const DEFAULT_RUNTIME = {
  cmd: null,
  disable_metrics_sample: false,
  entrypoint: null,
  hostname: null,
  log_level: null,
  metrics_sample_interval_ms: 1000,
  scripts: {},
  shell: null,
  user: null,
  workdir: null,
};

const UUID_REGEXP = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

Deno.test("startLocalCloud (current) accepts the SDK's create body and answers SandboxResponse", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 5 });
  const reply = await call(
    cloud,
    "POST",
    "/v1/sandboxes?start=true&wait_for=running&wait_timeout=90",
    {
      body: SDK_BODY,
    },
  );
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.headers.get("content-type"), "application/json");
  const sandbox = reply.json;
  assert.deepEqual(Object.keys(sandbox).sort(), [
    "created_at",
    "ephemeral",
    "id",
    "last_failure_message",
    "name",
    "org_id",
    "slug",
    "spec",
    "started_at",
    "status",
    "status_reason",
    "stopped_at",
  ]);
  assert.match(sandbox.id, UUID_REGEXP);
  assert.match(sandbox.org_id, UUID_REGEXP);
  assert.equal(sandbox.name, "cap6");
  assert.equal(sandbox.slug, "cap6");
  assert.equal(sandbox.status, "running");
  assert.equal(sandbox.status_reason, null);
  assert.equal(sandbox.ephemeral, false);
  assert.equal(new Date(sandbox.created_at).toISOString(), sandbox.created_at);
  assert.equal(typeof sandbox.started_at, "string");
  assert.equal(sandbox.stopped_at, null);
  assert.equal(sandbox.last_failure_message, null);
  assert.deepEqual(sandbox.spec, {
    env: [{ key: "A", value: "1" }],
    image: "alpine",
    labels: {},
    lifecycle: { ephemeral: false, max_duration_secs: null, idle_timeout_secs: null },
    mounts: [],
    network: {
      enabled: true,
      max_connections: null,
      policy: null,
      ports: [],
      secrets: [],
      trust_host_cas: false,
    },
    resources: { vcpus: 1, memory_mib: 512, disk_size_mib: null },
    rlimits: [],
    runtime: DEFAULT_RUNTIME,
  });
});

Deno.test("startLocalCloud (current) fills spec defaults for a minimal body", async () => {
  await using cloud = await startLocalCloud();
  const sandbox = await create(cloud, "Mini Box");
  assert.equal(sandbox.status, "created");
  assert.equal(sandbox.slug, "mini-box");
  assert.equal(sandbox.ephemeral, false);
  assert.deepEqual(sandbox.spec.env, []);
  assert.deepEqual(sandbox.spec.labels, {});
  assert.deepEqual(sandbox.spec.resources, { vcpus: 1, memory_mib: 512, disk_size_mib: null });
  assert.deepEqual(sandbox.spec.runtime, DEFAULT_RUNTIME);
  assert.equal(sandbox.spec.network.enabled, true);
});

Deno.test("startLocalCloud (current) echoes the spec it was given, without secrets", async () => {
  await using cloud = await startLocalCloud();
  const reply = await call(cloud, "POST", "/v1/sandboxes", {
    body: {
      name: "full",
      slug: "my-full",
      image: { type: "oci", reference: "python:3.12" },
      resources: { vcpus: 4, memory_mib: 2048, disk_size_mib: 10240 },
      runtime: {
        workdir: "/app",
        shell: "/bin/bash",
        scripts: { test: "pytest" },
        user: "nobody",
        log_level: "debug",
        entrypoint: ["python"],
        cmd: ["-V"],
      },
      env: [{ key: "A", value: "1" }, { key: "B", value: "" }],
      labels: { team: "a" },
      rlimits: [{ resource: "nofile", soft: 1024, hard: 4096 }],
      network: {
        enabled: false,
        max_connections: 10,
        policy: {
          default_egress: "deny",
          rules: [{ action: "allow", direction: "egress", destination: { domain: "pypi.org" } }],
        },
        secrets: {
          entries: [{
            env_var: "TOKEN",
            placeholder: "$TOKEN",
            value: "s3cr3t-value",
            allowed_hosts: [{ type: "exact", value: "api.x" }],
          }],
        },
      },
      registry: { mode: "inline", username: "u", password: "registry-pass" },
      lifecycle: { ephemeral: true, max_duration_secs: 3600, idle_timeout_secs: 60 },
    },
  });
  assert.equal(reply.status, 200, reply.text);
  assert.ok(!reply.text.includes("s3cr3t-value"));
  assert.ok(!reply.text.includes("registry-pass"));
  const { spec, slug, ephemeral } = reply.json;
  assert.equal(slug, "my-full");
  assert.equal(ephemeral, true);
  assert.equal(spec.image, "python:3.12");
  assert.deepEqual(spec.resources, { vcpus: 4, memory_mib: 2048, disk_size_mib: 10240 });
  assert.deepEqual(spec.runtime, {
    ...DEFAULT_RUNTIME,
    workdir: "/app",
    shell: "/bin/bash",
    scripts: { test: "pytest" },
    user: "nobody",
    log_level: "debug",
    entrypoint: ["python"],
    cmd: ["-V"],
  });
  assert.deepEqual(spec.env, [{ key: "A", value: "1" }, { key: "B", value: "" }]);
  assert.deepEqual(spec.labels, { team: "a" });
  assert.deepEqual(spec.rlimits, [{ resource: "Nofile", soft: 1024, hard: 4096 }]);
  assert.deepEqual(spec.lifecycle, {
    ephemeral: true,
    max_duration_secs: 3600,
    idle_timeout_secs: 60,
  });
  assert.equal(spec.network.enabled, false);
  assert.equal(spec.network.max_connections, 10);
  assert.equal(spec.network.policy.default_egress, "deny");
  assert.deepEqual(spec.network.secrets, [
    {
      env_var: "TOKEN",
      placeholder: "$TOKEN",
      allowed_hosts: [{ type: "exact", value: "api.x" }],
      injection: {},
    },
  ]);
});

Deno.test("startLocalCloud (current) names the bad field in 400 invalid_request", async () => {
  await using cloud = await startLocalCloud();
  const image = { type: "oci", reference: "alpine" };
  const cases: [unknown, RegExp][] = [
    [{ name: "x", image: { type: "bind", reference: "/" } }, /image\.type/],
    [{ name: "x", image: { type: "oci", reference: "" } }, /image\.reference/],
    [{ name: "x", image: { type: "oci" } }, /image\.reference/],
    [{ name: "x", image, resources: { vcpus: 1000 } }, /resources\.vcpus/],
    [{ name: "x", image, resources: { memory_mib: "512" } }, /resources\.memory_mib/],
    [{ name: "x", image, env: { A: "1" } }, /`env`/],
    [{ name: "x", image, env: [{ key: "A" }] }, /env\[0\]\.value/],
    [{ name: "x", image, labels: { a: 1 } }, /`labels`/],
    [{ name: "x", image, runtime: { log_level: "loud" } }, /runtime\.log_level/],
    [
      { name: "x", image, rlimits: [{ resource: "nofile", soft: 2, hard: 1 }] },
      /rlimits\[0\]\.soft/,
    ],
    [{ name: "x", image, lifecycle: { ephemeral: "yes" } }, /lifecycle\.ephemeral/],
    [{ name: "x", image, network: { enabled: 1 } }, /network\.enabled/],
    [{ name: "x", image, pull_policy: "sometimes" }, /pull_policy/],
    [{ name: "x", image, registry: { mode: "inline", username: "u" } }, /registry\.password/],
    [{ name: "x", image, slug: "Not A Slug" }, /slug/],
    [{ name: "x", image, mounts: [{ type: "nfs", guest: "/d" }] }, /mounts\[0\]\.type/],
    [{ name: "x", image, mounts: [{ type: "named", guest: "/d" }] }, /mounts\[0\]\.name/],
    [{ name: "x", image, mounts: [{ type: "tmpfs", guest: "/d", size_mib: -1 }] }, /size_mib/],
    [{ name: "x", image, patches: [{ type: "text", path: "/a", content: "" }] }, /replace/],
    [
      { name: "x", image, patches: [{ type: "file", path: "/a", content: [-1], replace: true }] },
      /patches\[0\]\.content/,
    ],
    [{ name: "x", image, init: { args: [] } }, /init\.cmd/],
    [{ name: "x", image, network: { enabled: true, dns: {} } }, /network\.dns/],
    [{ name: "x", image, runtime: { hostname: "h" } }, /runtime\.hostname/],
    [{
      name: "x",
      image,
      network: {
        policy: {
          rules: [{
            action: "allow",
            direction: "egress",
            destination: { cidr: "a", domain: "b" },
          }],
        },
      },
    }, /destination/],
    [{ name: "x", image, network: { secrets: { entries: [{ env_var: "A" }] } } }, /placeholder/],
    [
      { name: "x", image, network: { secrets: { on_violation: { type: "passthrough" } } } },
      /on_violation\.hosts/,
    ],
  ];
  for (const [body, message] of cases) {
    const reply = await call(cloud, "POST", "/v1/sandboxes", { body });
    assertError(reply, 400, "invalid_request");
    assert.match(reply.json.error.message, message);
  }
  assert.deepEqual((await call(cloud, "GET", "/v1/sandboxes")).json.data, []);
});

Deno.test("startLocalCloud (current) derives unique slugs and refuses a taken one", async () => {
  await using cloud = await startLocalCloud();
  assert.equal((await create(cloud, "My App")).slug, "my-app");
  assert.equal((await create(cloud, "my_app")).slug, "my-app-2");
  assert.equal((await create(cloud, "Ünïcödé ☃")).slug, "unicode");
  assert.equal((await create(cloud, "☃")).slug, "sandbox");
  const taken = await call(cloud, "POST", "/v1/sandboxes", {
    body: { name: "other", slug: "my-app", image: { type: "oci", reference: "alpine" } },
  });
  assertError(taken, 409, "name_already_exists");
});

Deno.test("startLocalCloud (current) serves the by-id routes", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 0, stopDelayMs: 0 });
  const { id } = await create(cloud, "by-id");
  assert.equal((await call(cloud, "GET", `/v1/sandboxes/${id}`)).json.name, "by-id");
  assert.equal((await call(cloud, "GET", `/v1/sandboxes/${id.toUpperCase()}`)).json.id, id);
  assert.equal((await call(cloud, "POST", `/v1/sandboxes/${id}/start`)).json.status, "running");
  assert.equal((await call(cloud, "POST", `/v1/sandboxes/${id}/stop`)).json.status, "stopped");
  assertError(
    await call(cloud, "POST", `/v1/sandboxes/${id}/stop`),
    409,
    "invalid_state_transition",
  );
  assert.equal((await call(cloud, "DELETE", `/v1/sandboxes/${id}`)).status, 200);
  for (const missing of [id, crypto.randomUUID(), "not-a-uuid", "by-name"]) {
    assertError(await call(cloud, "GET", `/v1/sandboxes/${missing}`), 404, "sandbox_not_found");
    assertError(
      await call(cloud, "POST", `/v1/sandboxes/${missing}/start`),
      404,
      "sandbox_not_found",
    );
    assertError(
      await call(cloud, "PATCH", `/v1/sandboxes/${missing}`, { body: {} }),
      404,
      "sandbox_not_found",
    );
  }
});

Deno.test("startLocalCloud (current) renames with PATCH", async () => {
  await using cloud = await startLocalCloud();
  const { id, slug } = await create(cloud, "before");
  await create(cloud, "taken");
  const renamed = await call(cloud, "PATCH", `/v1/sandboxes/${id}`, { body: { name: "after/1" } });
  assert.equal(renamed.json.name, "after/1");
  assert.equal(renamed.json.slug, slug);
  assert.equal((await call(cloud, "GET", "/v1/sandboxes/by-name/after%2F1")).json.id, id);
  assertError(await call(cloud, "GET", "/v1/sandboxes/by-name/before"), 404, "sandbox_not_found");
  const reslugged = await call(cloud, "PATCH", `/v1/sandboxes/${id}`, {
    body: { slug: "new-slug", name: null },
  });
  assert.equal(reslugged.json.slug, "new-slug");
  assert.equal(reslugged.json.name, "after/1");
  assert.equal(
    (await call(cloud, "PATCH", `/v1/sandboxes/${id}`, { body: {} })).json.name,
    "after/1",
  );
  assert.equal(
    (await call(cloud, "PATCH", `/v1/sandboxes/${id}`, { body: { name: "after/1" } })).status,
    200,
  );
  assertError(
    await call(cloud, "PATCH", `/v1/sandboxes/${id}`, { body: { name: "taken" } }),
    409,
    "name_already_exists",
  );
  assertError(
    await call(cloud, "PATCH", `/v1/sandboxes/${id}`, { body: { slug: "taken" } }),
    409,
    "name_already_exists",
  );
  assertError(
    await call(cloud, "PATCH", `/v1/sandboxes/${id}`, { body: { name: "" } }),
    400,
    "invalid_request",
  );
  assertError(
    await call(cloud, "PATCH", `/v1/sandboxes/${id}`, { body: { slug: "-x" } }),
    400,
    "invalid_request",
  );
  assertError(
    await call(cloud, "PATCH", `/v1/sandboxes/${id}`, { rawBody: "{" }),
    400,
    "invalid_request",
  );
});

Deno.test("startLocalCloud (current) answers start=true with starting, or running after wait_for", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 30 });
  const starting = await create(cloud, "quick", "?start=true");
  assert.equal(starting.status, "starting");
  assert.equal(starting.status_reason, "scheduling");
  const waited = await create(cloud, "waited", "?start=true&wait_for=running&wait_timeout=5");
  assert.equal(waited.status, "running");
  assert.equal(waited.status_reason, null);
  const defaultBudget = await create(cloud, "default-budget", "?start=true&wait_for=running");
  assert.equal(defaultBudget.status, "running");
  await call(cloud, "POST", "/v1/sandboxes/by-name/waited/stop");
  while ((await call(cloud, "GET", "/v1/sandboxes/by-name/waited")).json.status !== "stopped") {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const restarted = await call(
    cloud,
    "POST",
    "/v1/sandboxes/by-name/waited/start?wait_for=running&wait_timeout=5",
  );
  assert.equal(restarted.json.status, "running");
});

Deno.test("startLocalCloud (current) answers with the current status when wait_timeout expires", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 60_000 });
  const sandbox = await create(cloud, "slow", "?start=true&wait_for=running&wait_timeout=0");
  assert.equal(sandbox.status, "starting");
  await create(cloud, "slow-2");
  const started = performance.now();
  const reply = await call(
    cloud,
    "POST",
    "/v1/sandboxes/by-name/slow-2/start?wait_for=running&wait_timeout=1",
  );
  assert.equal(reply.json.status, "starting");
  assert.ok(performance.now() - started >= 900);
});

Deno.test("startLocalCloud (current) ends a readiness wait on a failed boot or a delete", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 60_000 });
  cloud.faults.nextBoot({ fail: "no capacity", delayMs: 5 });
  const failed = await create(cloud, "doomed", "?start=true&wait_for=running&wait_timeout=30");
  assert.equal(failed.status, "failed");
  assert.equal(failed.last_failure_message, "no capacity");
  assert.equal(typeof failed.stopped_at, "string");
  const waiting = call(cloud, "POST", "/v1/sandboxes?start=true&wait_for=running&wait_timeout=30", {
    body: { name: "gone", image: { type: "oci", reference: "alpine" } },
  });
  while (cloud.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 2));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal((await call(cloud, "DELETE", "/v1/sandboxes/by-name/gone")).status, 200);
  assert.equal((await waiting).json.status, "starting");
});

Deno.test("startLocalCloud (current) checks wait_for and wait_timeout", async () => {
  await using cloud = await startLocalCloud({ bootDelayMs: 60_000 });
  await create(cloud, "w");
  const bad = [
    "?start=true&wait_timeout=5",
    "?start=true&wait_for=stopped",
    "?start=true&wait_for=",
    "?start=true&wait_for=running&wait_timeout=-1",
    "?start=true&wait_for=running&wait_timeout=1.5",
    "?start=true&wait_for=running&wait_timeout=soon",
    "?wait_for=running",
    "?start=false&wait_for=running",
  ];
  for (const query of bad) {
    const reply = await call(cloud, "POST", `/v1/sandboxes${query}`, {
      body: { name: "never", image: { type: "oci", reference: "alpine" } },
    });
    assertError(reply, 400, "invalid_request");
  }
  assertError(
    await call(cloud, "POST", "/v1/sandboxes/by-name/w/start?wait_timeout=1"),
    400,
    "invalid_request",
  );
  assertError(
    await call(cloud, "POST", "/v1/sandboxes/by-name/w/start?wait_for=ready"),
    400,
    "invalid_request",
  );
  assert.equal(await (await call(cloud, "GET", "/v1/sandboxes/by-name/w")).json.status, "created");
  assertError(await call(cloud, "GET", "/v1/sandboxes/by-name/never"), 404, "sandbox_not_found");
});

Deno.test("startLocalCloud (current) echoes each mount kind as a SandboxMountResponse", async () => {
  await using cloud = await startLocalCloud();
  assert.equal((await call(cloud, "POST", "/v1/volumes", { body: { name: "cache" } })).status, 200);
  const reply = await call(cloud, "POST", "/v1/sandboxes", {
    body: {
      name: "mounts",
      image: { type: "oci", reference: "alpine" },
      mounts: [
        { type: "named", name: "cache", guest: "/cache", options: { readonly: true } },
        { type: "tmpfs", guest: "/tmp", size_mib: 64 },
        { type: "bind", host: "data", guest: "/data", host_permissions: "mirror" },
        { type: "disk_image", host: "d.raw", guest: "/disk", format: "raw", fstype: "ext4" },
      ],
    },
  });
  assert.equal(reply.status, 200, reply.text);
  const off = { nodev: false, noexec: false, nosuid: false, readonly: false };
  assert.deepEqual(reply.json.spec.mounts, [
    {
      type: "Named",
      name: "cache",
      guest: "/cache",
      options: { ...off, readonly: true },
      host_permissions: "private",
      stat_virtualization: "strict",
    },
    { type: "Tmpfs", guest: "/tmp", options: off, size_mib: 64 },
    {
      type: "Bind",
      guest: "/data",
      options: off,
      host_permissions: "mirror",
      stat_virtualization: "strict",
      quota_mib: null,
    },
    { type: "DiskImage", guest: "/disk", options: off, format: "Raw", fstype: "ext4" },
  ]);
});

Deno.test("startLocalCloud (current) tolerates SDK 0.6.18's network.strict, and only as a boolean", async () => {
  await using cloud = await startLocalCloud();
  const image = { type: "oci", reference: "alpine" };
  const bad = await call(cloud, "POST", "/v1/sandboxes", {
    body: { name: "x", image, network: { strict: "yes" } },
  });
  assertError(bad, 400, "invalid_request");
  assert.match(bad.json.error.message, /network\.strict/);
  const ok = await call(cloud, "POST", "/v1/sandboxes", {
    body: { name: "x", image, network: { enabled: true, strict: true } },
  });
  assert.equal(ok.status, 200, ok.text);
  assert.ok(!("strict" in ok.json.spec.network));
});
