// The local cloud's guest filesystem stays inside the sandbox's tree: `..` and links the sandbox
// made resolve in the sandbox's view, never the host's; the host's system directories are
// shared read-only.
import assert from "node:assert/strict";
import { SandboxFsOpsError } from "../../mod.ts";
import { setup } from "../_cloud.ts";

Deno.test("local cloud fs: .. never leaves the sandbox's root", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "tree", image: "alpine" });
  const name = `escape-${crypto.randomUUID()}.txt`;
  await sandbox.fs.writeFile(`/../../../tmp/${name}`, "inside");
  assert.equal((await sandbox.exec("cat", [`/tmp/${name}`])).stdoutText(), "inside");
  await assert.rejects(Deno.stat(`/tmp/${name}`), Deno.errors.NotFound);
});

Deno.test("local cloud fs: an absolute link the sandbox made resolves in the sandbox", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "tree", image: "alpine" });
  const name = `link-${crypto.randomUUID()}`;
  await sandbox.fs.mkdir("/work", { recursive: true });
  await sandbox.fs.symlink(`/tmp`, "/work/t");
  await sandbox.fs.writeFile(`/work/t/${name}`, "via link");
  assert.equal(await sandbox.fs.text(`/tmp/${name}`), "via link");
  assert.equal(await sandbox.fs.realPath(`/work/t/${name}`), `/tmp/${name}`);
  await assert.rejects(Deno.stat(`/tmp/${name}`), Deno.errors.NotFound);
});

Deno.test("local cloud fs: the host's system directories read but refuse writes (EROFS)", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "tree", image: "alpine" });
  assert.ok((await sandbox.fs.list("/etc")).length > 0);
  for (
    const call of [
      () => sandbox.fs.mkdir("/usr/x"),
      () => sandbox.fs.remove("/etc/hostname"),
      () => sandbox.fs.symlink("/x", "/usr/lnk"),
    ]
  ) {
    await assert.rejects(call(), (error) => {
      assert.ok(error instanceof SandboxFsOpsError, String(error));
      assert.equal(error.failureKind, "read_only", error.message);
      return true;
    });
  }
  await assert.rejects(sandbox.fs.writeFile("/usr/x.txt", "x"), { failureKind: "read_only" });
});
