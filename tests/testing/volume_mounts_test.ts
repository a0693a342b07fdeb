// Named volumes mounted into a local-cloud sandbox: its commands see the volume's files at the
// guest path and write through to them, read-only mounts refuse writes, and the create body's
// mounts are checked (the volume must exist, at a guest path the cloud can bind); other kinds are
// accepted and echoed, not emulated.
import assert from "node:assert/strict";
import { ExecFailedError, type Sandbox } from "../../mod.ts";
import { type Setup, setup } from "../_cloud.ts";

interface Mount {
  type: string;
  name?: string;
  guest: string;
  options?: { readonly?: boolean };
}

/** Creates a running sandbox with `mounts` over raw HTTP, as openapi `CreateSandboxRequest`. */
async function createWithMounts(env: Setup, name: string, mounts: Mount[]): Promise<Response> {
  return await fetch(`${env.cloud.url}/v1/sandboxes?start=true&wait_for=running`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.cloud.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ name, image: { type: "oci", reference: "alpine" }, mounts }),
  });
}

async function mounted(env: Setup, mounts: Mount[]): Promise<Sandbox> {
  const response = await createWithMounts(env, "with-volume", mounts);
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.deepEqual(
    body.spec.mounts,
    mounts.map((mount) => ({
      ...mount,
      type: "Named",
      options: { nodev: false, noexec: false, nosuid: false, readonly: false, ...mount.options },
      host_permissions: "private",
      stat_virtualization: "strict",
    })),
  );
  return await env.msb.sandboxes.get("with-volume");
}

Deno.test("A sandbox's commands see a mounted named volume's files and write through to them", async () => {
  await using env = await setup("current");
  const volume = await env.msb.volumes.create({ name: "shared" });
  await volume.fs.writeFile("/hello.txt", "from the volume\n");
  const sandbox = await mounted(env, [{ type: "named", name: "shared", guest: "/data" }]);
  if (env.cloud.isolation !== "bubblewrap") {
    await assert.rejects(
      sandbox.exec("cat", ["/data/hello.txt"]),
      (error: unknown) => error instanceof ExecFailedError && /bubblewrap only/.test(error.message),
    );
    return;
  }
  const read = await sandbox.exec("cat", ["/data/hello.txt"]);
  assert.equal(read.stdoutText(), "from the volume\n");
  const write = await sandbox.exec("sh", ["-c", "echo from the sandbox > /data/out.txt"]);
  assert.equal(write.code, 0, write.stderrText());
  assert.equal(await volume.fs.readFile("/out.txt").text(), "from the sandbox\n");
  await sandbox.stop();
  assert.equal(
    await volume.fs.readFile("/out.txt").text(),
    "from the sandbox\n",
    "no sandbox runs",
  );
});

Deno.test("A read-only mount refuses the sandbox's writes", async () => {
  await using env = await setup("current");
  const volume = await env.msb.volumes.create({ name: "frozen" });
  await volume.fs.writeFile("/keep.txt", "kept\n");
  const sandbox = await mounted(env, [
    { type: "named", name: "frozen", guest: "/ro", options: { readonly: true } },
  ]);
  if (env.cloud.isolation !== "bubblewrap") return; // the test above checks the refusal
  assert.equal((await sandbox.exec("cat", ["/ro/keep.txt"])).stdoutText(), "kept\n");
  const write = await sandbox.exec("sh", ["-c", "echo x > /ro/new.txt"]);
  assert.notEqual(write.code, 0);
  assert.equal(await volume.fs.exists("/new.txt"), false);
});

Deno.test("The local cloud refuses named mounts of missing volumes and at paths it cannot bind", async () => {
  await using env = await setup("current");
  await env.msb.volumes.create({ name: "exists" });
  const cases: [Mount[], number, string][] = [
    [[{ type: "named", name: "missing", guest: "/data" }], 404, "volume_not_found"],
    [[{ type: "named", name: "exists", guest: "/usr/local/data" }], 400, "invalid_sandbox_config"],
    [[{ type: "named", name: "exists", guest: "data" }], 400, "invalid_sandbox_config"],
    [[{ type: "named", name: "exists", guest: "/" }], 400, "invalid_sandbox_config"],
    [
      [
        { type: "named", name: "exists", guest: "/a" },
        { type: "named", name: "exists", guest: "/a/" },
      ],
      400,
      "invalid_sandbox_config",
    ],
  ];
  for (const [mounts, status, code] of cases) {
    const response = await createWithMounts(env, "refused", mounts);
    const body = await response.json();
    assert.equal(response.status, status, JSON.stringify(mounts));
    assert.equal(body.error.code, code, JSON.stringify(mounts));
  }
  assert.deepEqual((await env.msb.sandboxes.list()).sandboxes, []);
});
