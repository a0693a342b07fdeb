import assert from "node:assert/strict";
import {
  InvalidConfigError,
  type SandboxSpec,
  UnsupportedError,
  type WireGeneration,
} from "../../mod.ts";
import { currentAdapter } from "../../src/wire/current.ts";
import { GENERATIONS, setup } from "../_cloud.ts";
import { FULL_BODY, FULL_SPEC } from "./_full_spec.ts";

Deno.test("currentAdapter encodes every spec field as the contract says (hand-written golden body)", () => {
  const { body } = currentAdapter.createRequest(FULL_SPEC, { start: false, waitTimeoutSecs: 0 });
  assert.deepEqual(body, FULL_BODY);
  // Key order too, as the official SDK writes the spec's fields.
  assert.equal(JSON.stringify(body), JSON.stringify(FULL_BODY));
});

Deno.test("currentAdapter never sends network.strict, which the contract does not define", () => {
  const { body } = currentAdapter.createRequest({
    name: "n",
    image: "i",
    network: { enabled: false },
  }, { start: false, waitTimeoutSecs: 0 });
  assert.deepEqual((body as { network: unknown }).network, { enabled: false });
});

Deno.test("Sandboxes.create sends every spec field and reads back what the response echoes (current)", async () => {
  await using env = await setup("current");
  await env.msb.volumes.create({ name: "pip-cache" }); // a named mount needs its volume
  const sandbox = await env.msb.sandboxes.create(FULL_SPEC, { start: false });
  const request = env.cloud.requests.findLast((r) => r.url.endsWith("/v1/sandboxes"));
  assert.deepEqual(JSON.parse(request!.body), FULL_BODY);

  for (const read of [sandbox, await env.msb.sandboxes.get("full")]) {
    const { spec } = read;
    assert.equal(read.slug, "full-1");
    assert.deepEqual(spec.network?.policy, FULL_SPEC.network?.policy);
    // The cloud never echoes a secret's value, nor the secrets' default on_violation.
    const { value: _value, requireTlsIdentity: _tls, ...echoed } = FULL_SPEC.network!.secrets!
      .entries[0]!;
    assert.deepEqual(spec.network?.secrets, { entries: [echoed] });
    assert.equal(spec.network?.maxConnections, 64);
    assert.deepEqual(spec.rlimits, FULL_SPEC.rlimits);
    assert.deepEqual(spec.labels, { team: "a" });
    assert.deepEqual(spec.cmd, ["serve"]);
    assert.equal(spec.diskSizeMib, 4096);
    assert.equal(spec.ephemeral, true);
  }
  assert.ok(!JSON.stringify(sandbox).includes("sk-live-123"));
});

Deno.test("Sandboxes.create reads back an empty secret list and no policy as no network extras (current)", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "plain", image: "alpine" }, {
    start: false,
  });
  assert.deepEqual(sandbox.spec.network, { enabled: true });
});

const SECRET = { envVar: "TOKEN", value: "s3cr3t-value", placeholder: "$MSB_TOKEN" };

/** A spec that the cloud would reject, the field the error must name, on both wires. */
const SHARED_INVALID: [Partial<SandboxSpec>, RegExp][] = [
  [{ vcpus: 0 }, /`vcpus` must be an integer from 1 to 255, got 0/],
  [{ vcpus: 256 }, /`vcpus`/],
  [{ vcpus: 1.5 }, /`vcpus`/],
  [{ memoryMib: -1 }, /`memoryMib`/],
  [{ memoryMib: 2 ** 32 }, /`memoryMib`/],
  [{ maxDurationSecs: -5 }, /`maxDurationSecs`/],
  [{ idleTimeoutSecs: Number.NaN }, /`idleTimeoutSecs`/],
  [{ logLevel: "loud" as never }, /`logLevel` must be one of "error", "warn"/],
  [{ env: { "A=B": "1" } }, /`env` must be keys without =/],
  [{ env: { A: 1 as never } }, /`env` must be an object of strings/],
  [{ entrypoint: "sh" as never }, /`entrypoint` must be an array of strings/],
  [{ scripts: { a: [] as never } }, /`scripts`/],
  [{ workdir: 1 as never }, /`workdir` must be a string, got 1/],
  [{ user: null as never }, /`user` must be a string, got null/],
];

/** Current-only fields the cloud would reject, and the field the error must name. */
const CURRENT_INVALID: [Partial<SandboxSpec>, RegExp][] = [
  [{ diskSizeMib: 0 }, /`diskSizeMib`/],
  [{ slug: 5 as never }, /`slug` must be a string/],
  [{ registry: { mode: "sometimes" } as never }, /`registry\.mode`/],
  [{ registry: { mode: "specific" } as never }, /`registry\.credentialId`/],
  [
    { registry: { mode: "inline", username: "u" } as never },
    /`registry\.password` must be a non-empty string$/,
  ],
  [{ pullPolicy: "sometimes" as never }, /`pullPolicy`/],
  [{ securityProfile: "lax" as never }, /`securityProfile`/],
  [{ labels: { a: 1 as never } }, /`labels`/],
  [{ rlimits: [{ resource: "wings" as never, soft: 1, hard: 1 }] }, /`rlimits\[0\]\.resource`/],
  [
    { rlimits: [{ resource: "nofile", soft: 10, hard: 5 }] },
    /`rlimits\[0\]\.hard` must be an integer from 10/,
  ],
  [{ network: { maxConnections: -1 } }, /`network\.maxConnections`/],
  [{ network: { enabled: "yes" as never } }, /`network\.enabled` must be true or false/],
  [{ network: { policy: { defaultEgress: "drop" as never } } }, /`network\.policy\.defaultEgress`/],
  [
    { network: { policy: { defaultIngress: "drop" as never } } },
    /`network\.policy\.defaultIngress`/,
  ],
  [rule({ direction: "out" as never }), /`network\.policy\.rules\[0\]\.direction`/],
  [rule({ action: "maybe" as never }), /`network\.policy\.rules\[0\]\.action`/],
  [
    rule({ destination: { cidr: "10.0.0.0/33" } }),
    /`network\.policy\.rules\[0\]\.destination\.cidr` must be an IP address or CIDR block/,
  ],
  [rule({ destination: { cidr: "256.1.1.1" } }), /destination\.cidr/],
  [rule({ destination: { cidr: "fd00::/129" } }), /destination\.cidr/],
  [rule({ destination: { cidr: "example.com" } }), /destination\.cidr/],
  [rule({ destination: { domain: "exa mple.com" } }), /destination\.domain` must be a domain name/],
  [rule({ destination: { domainSuffix: "" } }), /destination\.domainSuffix/],
  [rule({ destination: { group: "internet" as never } }), /destination\.group/],
  [
    rule({ destination: { cidr: "10.0.0.0/8", domain: "a.b" } as never }),
    /destination` must be "any" or one of/,
  ],
  [rule({ destination: "all" as never }), /destination` must be "any" or one of/],
  [rule({ ports: [{ start: 0, end: 70000 }] }), /rules\[0\]\.ports\[0\]\.end/],
  [
    rule({ ports: [{ start: 443, end: 80 }] }),
    /rules\[0\]\.ports\[0\]\.end` must be an integer from 443/,
  ],
  [rule({ ports: [{ start: 443 } as never] }), /rules\[0\]\.ports\[0\]` must be \{ start, end \}/],
  [rule({ protocols: ["sctp" as never] }), /rules\[0\]\.protocols\[0\]/],
  [secret({ envVar: "1BAD" }), /secrets\.entries\[0\]\.envVar/],
  [secret({ value: undefined }), /secrets\.entries\[0\]\.value` must be the secret, a string$/],
  [secret({ placeholder: "" }), /secrets\.entries\[0\]\.placeholder/],
  [secret({ allowedHosts: [{ type: "exact", value: "not a host" }] }), /allowedHosts\[0\]\.value/],
  [
    secret({ allowedHosts: [{ type: "wildcard", value: "openai.com" }] }),
    /allowedHosts\[0\]\.value` must be a wildcard/,
  ],
  [secret({ allowedHosts: [{ type: "regex" } as never] }), /allowedHosts\[0\]\.type/],
  [secret({ injection: { body: "yes" as never } }), /injection\.body/],
  [secret({ onViolation: { type: "shrug" } as never }), /entries\[0\]\.onViolation\.type/],
  [secret({ onViolation: { type: "passthrough" } as never }), /onViolation\.hosts/],
  [{ network: { secrets: { entries: [SECRET, SECRET] } } }, /one entry per envVar, got "TOKEN"/],
  [
    { network: { enabled: false, secrets: { entries: [SECRET] } } },
    /`network\.secrets` must be absent when the network is disabled/,
  ],
  [
    { network: { secrets: { entries: [], onViolation: { type: "nope" } as never } } },
    /secrets\.onViolation\.type/,
  ],
  [
    { mounts: [{ type: "tmpfs", guest: "scratch" }] },
    /`mounts\[0\]\.guest` must be an absolute guest path/,
  ],
  [{ mounts: [{ type: "tmpfs", guest: "/a/../etc" }] }, /`mounts\[0\]\.guest`/],
  [{ mounts: [{ type: "tmpfs", guest: "/" }] }, /`mounts\[0\]\.guest` must be a path below \//],
  [{ mounts: [{ type: "tmpfs", guest: "/s", sizeMib: 0 }] }, /`mounts\[0\]\.sizeMib`/],
  [{ mounts: [{ type: "tmpfs", guest: "/s", sizeMib: 2 ** 31 }] }, /`mounts\[0\]\.sizeMib`/],
  [{ mounts: [{ type: "named", name: "", guest: "/d" }] }, /`mounts\[0\]\.name`/],
  [
    { mounts: [{ type: "bind", guest: "/d" } as never] },
    /`mounts\[0\]\.type` must be one of "named", "tmpfs"/,
  ],
  [
    { mounts: [{ type: "tmpfs", guest: "/d", options: { readonly: 1 as never } }] },
    /options\.readonly/,
  ],
  [
    { mounts: [{ type: "named", name: "v", guest: "/d", hostPermissions: "all" as never }] },
    /hostPermissions/,
  ],
  [
    { mounts: [{ type: "named", name: "v", guest: "/d", statVirtualization: "x" as never }] },
    /statVirtualization/,
  ],
  [
    { mounts: [{ type: "tmpfs", guest: "/d" }, { type: "named", name: "v", guest: "/d/" }] },
    /`mounts` must be one mount per guest path, got "\/d"/,
  ],
  [{ patches: [{ type: "text", path: "etc/x", content: "" }] }, /`patches\[0\]\.path`/],
  [
    { patches: [{ type: "text", path: "/x", content: "", mode: 0o10000 }] },
    /`patches\[0\]\.mode` must be an integer from 0 to 4095/,
  ],
  [
    { patches: [{ type: "file", path: "/x", content: [1, 2] as never }] },
    /`patches\[0\]\.content` must be a Uint8Array/,
  ],
  [{ patches: [{ type: "symlink", target: "", link: "/l" }] }, /`patches\[0\]\.target`/],
  [{ patches: [{ type: "copy_dir", src: "a", dst: "rel" }] }, /`patches\[0\]\.dst`/],
  [{ patches: [{ type: "chmod", path: "/x" } as never] }, /`patches\[0\]\.type`/],
  [
    { patches: [{ type: "append", path: "/x", content: 5 as never }] },
    /`patches\[0\]\.content` must be a string/,
  ],
  [{ init: { cmd: "init" } }, /`init\.cmd` must be an absolute guest path/],
  [{ init: { cmd: "auto", args: [1 as never] } }, /`init\.args`/],
  [{ init: { cmd: "/sbin/init", env: { A: 1 as never } } }, /`init\.env`/],
];

function rule(change: object): Partial<SandboxSpec> {
  const base = { direction: "egress", destination: "any", action: "allow" };
  return { network: { policy: { rules: [{ ...base, ...change } as never] } } };
}

function secret(change: object): Partial<SandboxSpec> {
  return { network: { secrets: { entries: [{ ...SECRET, ...change } as never] } } };
}

async function assertRefusedBeforeAnyRequest(
  wire: WireGeneration,
  cases: [Partial<SandboxSpec>, RegExp][],
): Promise<void> {
  await using env = await setup(wire);
  for (const [change, message] of cases) {
    const spec = { name: "bad", image: "alpine", ...change };
    await assert.rejects(
      env.msb.sandboxes.create(spec),
      (error: unknown) => {
        assert.ok(error instanceof InvalidConfigError, `${JSON.stringify(change)}: ${error}`);
        assert.equal(error.kind, "InvalidConfig");
        assert.equal(error.status, undefined);
        assert.match(error.message, message);
        assert.ok(!error.message.includes("s3cr3t-value"), "a secret's value never shows");
        return true;
      },
    );
  }
  assert.deepEqual(env.cloud.requests, [], "no request was made");
}

for (const wire of GENERATIONS) {
  Deno.test(`Sandboxes.create refuses what the cloud rejects, naming the field, before any request (${wire})`, async () => {
    await assertRefusedBeforeAnyRequest(wire, SHARED_INVALID);
  });
}

Deno.test("Sandboxes.create refuses bad network rules, secrets, mounts, patches and init before any request (current)", async () => {
  await assertRefusedBeforeAnyRequest("current", CURRENT_INVALID);
});

Deno.test("Sandboxes.create accepts the edge values the contract allows (current)", async () => {
  await using env = await setup("current");
  const specs: Partial<SandboxSpec>[] = [
    { vcpus: 255, memoryMib: 2 ** 32 - 1, maxDurationSecs: 0 },
    { network: { maxConnections: 0, policy: {} } },
    rule({ destination: { cidr: "::1" } }),
    rule({ destination: { cidr: "2001:db8::/32" }, ports: [{ start: 0, end: 65535 }] }),
    rule({ destination: { cidr: "192.168.1.1/32" } }),
    rule({ destination: { domain: "localhost" } }),
    secret({ allowedHosts: [{ type: "any" }], onViolation: { type: "block" } }),
    { mounts: [{ type: "tmpfs", guest: "/a" }, { type: "tmpfs", guest: "/a/b" }] },
    { patches: [{ type: "remove", path: "/a" }, { type: "mkdir", path: "/b", mode: 0 }] },
    { init: { cmd: "auto" } },
  ];
  for (const [i, change] of specs.entries()) {
    const sandbox = await env.msb.sandboxes.create(
      { name: `ok-${i}`, image: "alpine", ...change },
      {
        start: false,
      },
    );
    assert.equal(sandbox.status, "created");
  }
});

Deno.test("Sandboxes.create (v0.5) refuses mounts, patches and init in the seed's words, before any request", async () => {
  await using env = await setup("v0.5");
  const cases: [Partial<SandboxSpec>, string, string][] = [
    [{ mounts: [{ type: "tmpfs", guest: "/t" }] }, "mounts", "when cloud volumes ship"],
    [{ patches: [{ type: "remove", path: "/t" }] }, "patches", "when cloud volumes ship"],
    [{ init: { cmd: "auto" } }, "init", "when cloud init wrapper lands"],
    [
      { network: { policy: {} } },
      "network policy / ports / secrets",
      "when cloud networking ships",
    ],
    [
      { network: { secrets: { entries: [SECRET] } } },
      "network policy / ports / secrets",
      "when cloud networking ships",
    ],
  ];
  for (const [change, feature, availableWhen] of cases) {
    await assert.rejects(
      env.msb.sandboxes.create({ name: "old", image: "alpine", ...change }),
      (error: unknown) =>
        error instanceof UnsupportedError && error.feature === feature &&
        error.availableWhen === availableWhen &&
        error.message ===
          `${feature} is not supported by this backend yet; available ${availableWhen}`,
    );
  }
  // Empty lists express nothing, so they pass.
  await env.msb.sandboxes.create({ name: "empty", image: "alpine", mounts: [], patches: [] }, {
    start: false,
  });
  assert.equal(env.cloud.requests.length, 1);
});
