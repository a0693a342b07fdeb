import assert from "node:assert/strict";
import { UnsupportedError } from "../../mod.ts";
import type { SandboxSpec } from "../../mod.ts";
import { v05Adapter } from "../../src/wire/v0_5.ts";

Deno.test("v05Adapter writes the create body SDK 0.5.10 sends, byte for byte", () => {
  const request = v05Adapter.createRequest({ name: "cap", image: "alpine" }, {
    start: true,
    waitTimeoutSecs: 90,
  });
  assert.equal(
    JSON.stringify(request.body),
    '{"name":"cap","image":"alpine","vcpus":1,"memory_mib":512,"env":{},"ephemeral":false}',
  );
  assert.equal(request.query, "start=true");
  // The seed cloud answers once the sandbox runs: the request may last the whole wait.
  assert.equal(request.timeout, 95_000);
  assert.equal(
    v05Adapter.createRequest({ name: "cap", image: "alpine" }, { start: false, waitTimeoutSecs: 0 })
      .query,
    "",
  );
});

Deno.test("v05Adapter keeps the seed's field order for every optional field", () => {
  const { body } = v05Adapter.createRequest({
    name: "n",
    image: "i",
    idleTimeoutSecs: 5,
    maxDurationSecs: 9,
    scripts: { s: "x" },
    logLevel: "warn",
    user: "u",
    hostname: "h",
    entrypoint: ["e"],
    shell: "sh",
    workdir: "/w",
    ephemeral: true,
    env: { K: "V" },
    memoryMib: 64,
    vcpus: 3,
  }, { start: false, waitTimeoutSecs: 0 });
  assert.deepEqual(Object.keys(body as object), [
    "name",
    "image",
    "vcpus",
    "memory_mib",
    "env",
    "ephemeral",
    "workdir",
    "shell",
    "entrypoint",
    "hostname",
    "user",
    "log_level",
    "scripts",
    "max_duration_secs",
    "idle_timeout_secs",
  ]);
});

Deno.test("v05Adapter refuses what the seed's wire cannot express, with the seed's words", () => {
  const cases: [Partial<SandboxSpec>, string, string][] = [
    [
      { rlimits: [{ resource: "nofile", soft: 1, hard: 1 }] },
      "rlimits",
      "when rlimits land on the cloud API",
    ],
    [{ cmd: ["x"] }, "cmd", "when cmd lands on the cloud API"],
    [{ pullPolicy: "always" }, "pull_policy", "when cloud pull policy lands"],
    [{ registry: { mode: "anonymous" } }, "registry_auth", "when cloud registry auth lands"],
    [
      { network: { enabled: false } },
      "network policy / ports / secrets",
      "when cloud networking ships",
    ],
    [{ labels: { a: "b" } }, "labels", 'with wire: "current"'],
    [{ slug: "s" }, "slug", 'with wire: "current"'],
    [{ diskSizeMib: 1 }, "diskSizeMib", 'with wire: "current"'],
    [{ securityProfile: "restricted" }, "security_profile", 'with wire: "current"'],
  ];
  for (const [extra, feature, availableWhen] of cases) {
    assert.throws(
      () =>
        v05Adapter.createRequest({ name: "n", image: "i", ...extra }, {
          start: false,
          waitTimeoutSecs: 0,
        }),
      (error: unknown) =>
        error instanceof UnsupportedError && error.feature === feature &&
        error.availableWhen === availableWhen,
      feature,
    );
  }
  v05Adapter.createRequest({ name: "n", image: "i", pullPolicy: "if_missing", labels: {} }, {
    start: false,
    waitTimeoutSecs: 0,
  });
});

Deno.test("v05Adapter builds the seed's hand-made list query and has no labels filter", () => {
  assert.equal(v05Adapter.listQuery({}), "");
  assert.equal(v05Adapter.listQuery({ cursor: "a b/c=", limit: 5 }), "cursor=a%20b%2Fc%3D&limit=5");
  assert.equal(v05Adapter.capabilities.listByLabels, undefined);
});

const BASE = {
  id: "0b3c3f0e-4a57-4a8e-9a59-1f0f6f1f7b11",
  org_id: "7a0f7f5e-1111-4222-8333-944444444444",
  name: "n",
  status: "failed",
  ephemeral: false,
  created_at: "2026-11-28T10:00:00Z",
};

Deno.test("v05Adapter decodes a CloudSandbox, filling the config's defaults", () => {
  const sandbox = v05Adapter.decodeSandbox({
    ...BASE,
    config: { image: "alpine", env: { A: "1" } },
    last_error: "boom",
  });
  assert.equal(sandbox.lastError, "boom");
  assert.equal(sandbox.slug, undefined);
  assert.deepEqual(sandbox.spec, {
    name: "n",
    image: "alpine",
    vcpus: 1,
    memoryMib: 512,
    env: { A: "1" },
    ephemeral: true,
  });
  assert.throws(() => v05Adapter.decodeSandbox(BASE), /missing field `config`/);
});

Deno.test("v05Adapter decodes pages without has_more from next_cursor", () => {
  assert.equal(v05Adapter.decodePage({ data: [], next_cursor: "c" }).hasMore, true);
  assert.equal(v05Adapter.decodePage({ data: [], next_cursor: null }).hasMore, false);
  assert.throws(() => v05Adapter.decodePage({}), /: missing field `data`$/);
  assert.throws(() => v05Adapter.decodePage({ data: {} }), /: `data` is not an array$/);
});
