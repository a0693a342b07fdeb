import assert from "node:assert/strict";
import { InvalidConfigError, RuntimeError, UnsupportedError } from "../../mod.ts";
import type { SandboxInfo } from "../../mod.ts";
import { currentAdapter } from "../../src/wire/current.ts";

// The body SDK 0.6.18 sent for `.image("alpine").env("A", "1")` (reference/captured-wire.md),
// minus `network.strict`, which msb-cloud API 0.1.0 does not define.
const CAPTURED_BODY = '{"name":"cap6","image":{"type":"oci","reference":"alpine"},' +
  '"resources":{"vcpus":1,"memory_mib":512},' +
  '"runtime":{"workdir":null,"shell":null,"scripts":{},"entrypoint":null,"cmd":null,"user":null,"log_level":null},' +
  '"env":[{"key":"A","value":"1"}],"labels":{},"rlimits":[],"mounts":[],"patches":[],' +
  '"network":{"enabled":true},"init":null,"pull_policy":"if_missing",' +
  '"security_profile":"default","lifecycle":{"ephemeral":false,"max_duration_secs":null,"idle_timeout_secs":null}}';

Deno.test("currentAdapter writes the create body the official SDK sends, byte for byte", () => {
  const request = currentAdapter.createRequest(
    { name: "cap6", image: "alpine", env: { A: "1" } },
    { start: true, waitTimeoutSecs: 90 },
  );
  assert.equal(JSON.stringify(request.body), CAPTURED_BODY);
  assert.equal(request.query, "start=true&wait_for=running&wait_timeout=90");
  assert.equal(request.timeout, 95_000);
});

Deno.test("currentAdapter sends no start query when not starting, and no wait when asked not to", () => {
  assert.equal(
    currentAdapter.createRequest({ name: "n", image: "i" }, { start: false, waitTimeoutSecs: 0 })
      .query,
    "",
  );
  const noWait = currentAdapter.createRequest({ name: "n", image: "i" }, {
    start: true,
    waitTimeoutSecs: 0,
  });
  assert.equal(noWait.query, "start=true");
  assert.equal(noWait.timeout, undefined);
});

Deno.test("currentAdapter maps every spec field to the nested shape", () => {
  const { body } = currentAdapter.createRequest({
    name: "full",
    image: "python:3.12",
    vcpus: 2,
    memoryMib: 1024,
    diskSizeMib: 4096,
    env: { A: "1", B: "2" },
    workdir: "/app",
    shell: "/bin/bash",
    entrypoint: ["/init"],
    cmd: ["serve"],
    user: "app",
    logLevel: "debug",
    scripts: { test: "pytest" },
    labels: { team: "a" },
    ephemeral: true,
    maxDurationSecs: 600,
    idleTimeoutSecs: 60,
    slug: "full-1",
    rlimits: [{ resource: "nofile", soft: 1024, hard: 4096 }],
    pullPolicy: "always",
    securityProfile: "restricted",
    network: { enabled: false, maxConnections: 10 },
    registry: { mode: "specific", credentialId: "c-1" },
  }, { start: false, waitTimeoutSecs: 0 });
  assert.deepEqual(body, {
    name: "full",
    image: { type: "oci", reference: "python:3.12" },
    resources: { vcpus: 2, memory_mib: 1024, disk_size_mib: 4096 },
    runtime: {
      workdir: "/app",
      shell: "/bin/bash",
      scripts: { test: "pytest" },
      entrypoint: ["/init"],
      cmd: ["serve"],
      user: "app",
      log_level: "debug",
    },
    env: [{ key: "A", value: "1" }, { key: "B", value: "2" }],
    labels: { team: "a" },
    rlimits: [{ resource: "nofile", soft: 1024, hard: 4096 }],
    mounts: [],
    patches: [],
    network: { enabled: false, max_connections: 10 },
    init: null,
    pull_policy: "always",
    security_profile: "restricted",
    lifecycle: { ephemeral: true, max_duration_secs: 600, idle_timeout_secs: 60 },
    slug: "full-1",
    registry: { mode: "specific", credential_id: "c-1" },
  });
});

Deno.test("currentAdapter refuses a hostname before any request", () => {
  assert.throws(
    () =>
      currentAdapter.createRequest({ name: "n", image: "i", hostname: "h" }, {
        start: false,
        waitTimeoutSecs: 0,
      }),
    (error: unknown) =>
      error instanceof UnsupportedError && error.feature === "hostname" &&
      error.message ===
        'hostname is not supported by this backend yet; available with wire: "v0.5"',
  );
});

Deno.test("currentAdapter refuses a spec without a name or an image", () => {
  for (
    const spec of [{ name: "", image: "i" }, { name: "n", image: " " }, { name: "..", image: "i" }]
  ) {
    assert.throws(
      () => currentAdapter.createRequest(spec, { start: false, waitTimeoutSecs: 0 }),
      InvalidConfigError,
    );
  }
});

Deno.test("currentAdapter builds list queries with limit always and labels as JSON", () => {
  assert.equal(currentAdapter.listQuery({}), "limit=20");
  assert.equal(
    currentAdapter.listQuery({ cursor: "a b/c", limit: 5, labels: { team: "a" } }),
    "cursor=a+b%2Fc&limit=5&labels=%7B%22team%22%3A%22a%22%7D",
  );
  for (const limit of [0, 101, 2.5]) {
    assert.throws(() => currentAdapter.listQuery({ limit }), InvalidConfigError);
  }
});

const BASE = {
  id: "0b3c3f0e-4a57-4a8e-9a59-1f0f6f1f7b11",
  org_id: "7a0f7f5e-1111-4222-8333-944444444444",
  name: "n",
  slug: "n",
  status: "running",
  ephemeral: false,
  created_at: "2026-11-28T10:00:00Z",
};

Deno.test("currentAdapter decodes a SandboxResponse with and without a spec", () => {
  const bare = currentAdapter.decodeSandbox({ ...BASE, spec: null, last_failure_message: null });
  assert.equal(bare.slug, "n");
  assert.equal(bare.createdAt.toISOString(), "2026-11-28T10:00:00.000Z");
  assert.deepEqual(bare.spec, { name: "n", image: "" });
  const full = currentAdapter.decodeSandbox({
    ...BASE,
    status: "starting",
    status_reason: "scheduling",
    started_at: "2026-11-28T10:00:01Z",
    spec: {
      image: "alpine",
      env: [{ key: "A", value: "1" }],
      labels: { team: "a" },
      lifecycle: { ephemeral: false, max_duration_secs: 60 },
      mounts: [],
      network: { enabled: true, ports: [], trust_host_cas: false },
      resources: { vcpus: 2, memory_mib: 256 },
      rlimits: [{ resource: "Nofile", soft: 1, hard: 2 }],
      runtime: { workdir: "/w", scripts: {}, hostname: null },
    },
  });
  assert.equal(full.statusReason, "scheduling");
  assert.deepEqual(full.spec, {
    name: "n",
    image: "alpine",
    vcpus: 2,
    memoryMib: 256,
    env: { A: "1" },
    workdir: "/w",
    scripts: {},
    labels: { team: "a" },
    ephemeral: false,
    maxDurationSecs: 60,
    rlimits: [{ resource: "nofile", soft: 1, hard: 2 }],
    network: { enabled: true },
  });
});

Deno.test("currentAdapter names the field a malformed body lacks", () => {
  const cases: [unknown, RegExp][] = [
    [[], /sandbox is not an object/],
    [{ ...BASE, slug: undefined }, /missing field `slug`/],
    [{ ...BASE, status: "paused" }, /`status` is not one of created, /],
    [{ ...BASE, created_at: "yesterday" }, /`created_at` is not a date/],
    [{ ...BASE, ephemeral: "no" }, /`ephemeral` is not a boolean/],
  ];
  for (const [body, message] of cases) {
    assert.throws(() => currentAdapter.decodeSandbox(body), message);
  }
  assert.throws(() => currentAdapter.decodePage({ data: [] }), /missing field `has_more`/);
});

function info(status: SandboxInfo["status"], lastError?: string): SandboxInfo {
  return { ...currentAdapter.decodeSandbox({ ...BASE, status }), lastError };
}

Deno.test("currentAdapter.checkReady words each readiness failure as the SDK does", () => {
  currentAdapter.checkReady(info("running"), true);
  currentAdapter.checkReady(info("starting"), false);
  const cases: [SandboxInfo, string][] = [
    [info("failed", "image pull failed"), 'cloud sandbox "n" failed to start: image pull failed'],
    [
      info("failed"),
      'cloud sandbox "n" failed to start: the cloud control plane reported no failure reason',
    ],
    [info("starting"), 'cloud sandbox "n" did not reach running before the readiness wait expired'],
    [info("stopped"), 'cloud sandbox "n" entered Stopped instead of running'],
    [info("stopping"), 'cloud sandbox "n" entered Draining instead of running'],
  ];
  for (const [sandbox, message] of cases) {
    assert.throws(
      () => currentAdapter.checkReady(sandbox, true),
      (error: unknown) => error instanceof RuntimeError && error.message === message,
    );
  }
});
