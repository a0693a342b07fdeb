// sandbox.fs against the local cloud over real WebSockets: every operation, its typed errors,
// writeFile from each input type, exec interop, cancel and abort closing the remote handle, and
// the v0.5 refusal.
import assert from "node:assert/strict";
import { type Sandbox, SandboxFsOpsError, UnsupportedError } from "../../mod.ts";
import { type Setup, setup } from "../_cloud.ts";

async function withSandbox(run: (sandbox: Sandbox, env: Setup) => Promise<void>): Promise<void> {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "fs", image: "alpine" });
  await run(sandbox, env);
}

async function rejectsFs(
  call: Promise<unknown>,
  path: string,
  failureKind: SandboxFsOpsError["failureKind"],
): Promise<void> {
  await assert.rejects(call, (error) => {
    assert.ok(error instanceof SandboxFsOpsError, String(error));
    assert.equal(error.kind, "SandboxFsOps");
    assert.equal(error.path, path);
    assert.equal(error.failureKind, failureKind);
    return true;
  });
}

/** Waits until the cloud holds no file handle; fails after a generous 30 s. */
async function handlesClose(env: Setup): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (env.cloud.openFileHandles() > 0) {
    assert.ok(Date.now() < deadline, "a file handle stayed open in the sandbox");
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("SandboxFs.writeFile takes a string, bytes, a Blob and a ReadableStream", async () => {
  await withSandbox(async (sandbox, env) => {
    const { fs } = sandbox;
    await fs.writeFile("/tmp/s.txt", "héllo");
    await fs.writeFile("/tmp/b.bin", new Uint8Array([0, 1, 255]));
    await fs.writeFile("/tmp/blob.txt", new Blob(["a", "b"]));
    const chunks = [new Uint8Array(5).fill(65), new Uint8Array(4 * 1024 * 1024).fill(66)];
    await fs.writeFile("/tmp/stream.bin", ReadableStream.from(chunks));
    assert.equal(await fs.text("/tmp/s.txt"), "héllo");
    assert.deepEqual(await fs.bytes("/tmp/b.bin"), new Uint8Array([0, 1, 255]));
    assert.equal(await fs.text("/tmp/blob.txt"), "ab");
    const back = await fs.bytes("/tmp/stream.bin");
    assert.equal(back.byteLength, 5 + 4 * 1024 * 1024);
    assert.equal(back[4], 65);
    assert.equal(back[5], 66);
    await fs.writeFile("/tmp/s.txt", "x");
    assert.equal(await fs.text("/tmp/s.txt"), "x", "truncated on rewrite");
    assert.equal(env.cloud.openFileHandles(), 0);
  });
});

Deno.test("SandboxFs and exec see the same tree both ways", async () => {
  await withSandbox(async (sandbox) => {
    await sandbox.fs.writeFile("/tmp/in.txt", "from fs\n");
    assert.equal((await sandbox.exec("cat", ["/tmp/in.txt"])).stdoutText(), "from fs\n");
    await sandbox.shell("echo from exec > /tmp/out.txt");
    assert.equal(await sandbox.fs.text("/tmp/out.txt"), "from exec\n");
  });
});

Deno.test("SandboxFs directory, link and path operations", async () => {
  await withSandbox(async (sandbox) => {
    const { fs } = sandbox;
    await fs.mkdir("/work/a/b", { recursive: true });
    await fs.mkdir("/work/c");
    await fs.writeFile("/work/a/b/f.txt", "f");
    assert.deepEqual((await fs.list("/work")).map((e) => [e.path, e.kind]), [
      ["/work/a", "dir"],
      ["/work/c", "dir"],
    ]);
    const stat = await fs.stat("/work/a/b/f.txt");
    assert.equal(stat.kind, "file");
    assert.equal(stat.size, 1);
    assert.ok(stat.modified instanceof Date);
    assert.equal(await fs.exists("/work/a/b/f.txt"), true);
    assert.equal(await fs.exists("/work/none"), false);
    await fs.copy("/work/a/b/f.txt", "/work/c/g.txt");
    await fs.rename("/work/c/g.txt", "/work/c/h.txt");
    assert.equal(await fs.text("/work/c/h.txt"), "f");
    assert.equal(await fs.exists("/work/c/g.txt"), false);
    await fs.symlink("/work/a/b", "/work/link");
    assert.equal(await fs.readLink("/work/link"), "/work/a/b");
    assert.equal(await fs.realPath("/work/link/f.txt"), "/work/a/b/f.txt");
    assert.equal(await fs.text("/work/link/f.txt"), "f");
    assert.equal((await sandbox.exec("cat", ["/work/link/f.txt"])).stdoutText(), "f");
    await fs.remove("/work/c/h.txt");
    await fs.remove("/work/c");
    await fs.remove("/work/a", { recursive: true });
    await fs.remove("/work/link");
    assert.deepEqual(await fs.list("/work"), []);
  });
});

Deno.test("SandboxFs rejects each failure with SandboxFsOpsError, its path and kind", async () => {
  await withSandbox(async (sandbox, env) => {
    const { fs } = sandbox;
    await fs.mkdir("/work/d/e", { recursive: true });
    await fs.writeFile("/work/f.txt", "f");
    await rejectsFs(fs.text("/work/missing"), "/work/missing", "not_found");
    await rejectsFs(fs.text("/work/d"), "/work/d", "is_a_directory");
    await rejectsFs(fs.writeFile("/work/d", "x"), "/work/d", "is_a_directory");
    await rejectsFs(fs.writeFile("/work/no/x.txt", "x"), "/work/no/x.txt", "not_found");
    await rejectsFs(fs.writeFile("/usr/x.txt", "x"), "/usr/x.txt", "read_only");
    await rejectsFs(fs.stat("/work/missing"), "/work/missing", "not_found");
    await rejectsFs(fs.list("/work/f.txt"), "/work/f.txt", "not_a_directory");
    await rejectsFs(fs.mkdir("/work/d"), "/work/d", "already_exists");
    await rejectsFs(fs.mkdir("/work/x/y"), "/work/x", "not_found");
    await rejectsFs(fs.remove("/work/d"), "/work/d", "directory_not_empty");
    await rejectsFs(fs.remove("/work/missing"), "/work/missing", "not_found");
    await rejectsFs(fs.copy("/work/missing", "/work/z"), "/work/missing", "not_found");
    await rejectsFs(fs.rename("/work/missing", "/work/z"), "/work/missing", "not_found");
    await rejectsFs(fs.realPath("/work/missing"), "/work/missing", "not_found");
    await rejectsFs(fs.readLink("/work/f.txt"), "/work/f.txt", "invalid_input");
    await rejectsFs(fs.symlink("/x", "/work/f.txt"), "/work/f.txt", "already_exists");
    await handlesClose(env);
    assert.equal(env.cloud.openFileHandles(), 0);
  });
});

Deno.test("SandboxFs.readFile cancelled mid-way closes the remote handle", async () => {
  await withSandbox(async (sandbox, env) => {
    await sandbox.fs.writeFile("/tmp/big.bin", new Uint8Array(32 * 1024 * 1024));
    const reader = sandbox.fs.readFile("/tmp/big.bin").getReader();
    const first = await reader.read();
    assert.ok(!first.done && first.value.byteLength > 0);
    assert.equal(env.cloud.openFileHandles(), 1);
    await reader.cancel();
    await handlesClose(env);
  });
});

Deno.test("SandboxFs.readFile errors with the signal's reason on abort and closes the handle", async () => {
  await withSandbox(async (sandbox, env) => {
    await sandbox.fs.writeFile("/tmp/big.bin", new Uint8Array(32 * 1024 * 1024));
    const controller = new AbortController();
    const reader = sandbox.fs.readFile("/tmp/big.bin", { signal: controller.signal }).getReader();
    await reader.read();
    controller.abort(new Error("enough"));
    await assert.rejects(reader.read(), { message: "enough" });
    await handlesClose(env);
  });
});

Deno.test("SandboxFs.writeFile aborted mid-way rejects with the reason and closes the handle", async () => {
  await withSandbox(async (sandbox, env) => {
    const controller = new AbortController();
    let sent = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        if (++sent === 3) controller.abort(new Error("stop"));
        c.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    await assert.rejects(
      sandbox.fs.writeFile("/tmp/w.bin", source, { signal: controller.signal }),
      { message: "stop" },
    );
    await handlesClose(env);
  });
});

Deno.test("SandboxFs refuses every call on wire v0.5 with UnsupportedError", async () => {
  await using env = await setup("v0.5");
  const sandbox = await env.msb.sandboxes.create({ name: "fs", image: "alpine" });
  const { fs } = sandbox;
  const calls: [string, () => unknown][] = [
    ["SandboxFs::read", () => fs.readFile("/a")],
    ["SandboxFs::read", () => fs.text("/a")],
    ["SandboxFs::write", () => fs.writeFile("/a", "x")],
    ["SandboxFs::list", () => fs.list("/")],
    ["SandboxFs::stat", () => fs.stat("/")],
    ["SandboxFs::exists", () => fs.exists("/")],
    ["SandboxFs::mkdir", () => fs.mkdir("/a")],
    ["SandboxFs::remove", () => fs.remove("/a")],
    ["SandboxFs::copy", () => fs.copy("/a", "/b")],
    ["SandboxFs::rename", () => fs.rename("/a", "/b")],
    ["SandboxFs::real_path", () => fs.realPath("/a")],
    ["SandboxFs::read_link", () => fs.readLink("/a")],
    ["SandboxFs::symlink", () => fs.symlink("/a", "/b")],
  ];
  const before = env.cloud.requests.length;
  for (const [feature, call] of calls) {
    await assert.rejects(async () => await call(), (error) => {
      assert.ok(error instanceof UnsupportedError, String(error));
      assert.equal(error.feature, feature);
      assert.equal(
        error.message,
        `${feature} is not supported by this backend yet; available with wire: "current"`,
      );
      return true;
    });
  }
  assert.equal(env.cloud.requests.length, before, "no request was made");
  assert.equal(env.cloud.liveSockets(), 0);
});

Deno.test("SandboxFs.writeFile cancels its source stream when the write fails", async () => {
  await withSandbox(async (sandbox) => {
    let cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new Uint8Array(16)),
      cancel: () => void (cancelled = true),
    });
    await rejectsFs(
      sandbox.fs.writeFile("/tmp/no/such/dir", source),
      "/tmp/no/such/dir",
      "not_found",
    );
    assert.ok(cancelled, "the source was left open");
  });
});

Deno.test("SandboxFs.readFile reads from offset, at most length, in readAhead windows", async () => {
  await withSandbox(async (sandbox, env) => {
    const bytes = new Uint8Array(10_000).map((_, i) => i % 251);
    await sandbox.fs.writeFile("/tmp/span.bin", bytes);
    const read = (options: Parameters<Sandbox["fs"]["readFile"]>[1]) =>
      new Response(sandbox.fs.readFile("/tmp/span.bin", options)).arrayBuffer()
        .then((buffer) => new Uint8Array(buffer));
    assert.deepEqual(await read({ offset: 9_000 }), bytes.subarray(9_000));
    assert.deepEqual(await read({ offset: 100, length: 50 }), bytes.subarray(100, 150));
    assert.deepEqual(await read({ offset: 20_000 }), new Uint8Array());
    assert.deepEqual(await read({ readAhead: 3_000 }), bytes, "windows that end short of a read");
    assert.deepEqual(await read({ readAhead: 2_500 }), bytes, "windows that end on the file's end");
    assert.deepEqual(
      await read({ offset: 1_000, length: 5_000, readAhead: 1_024 }),
      bytes.subarray(1_000, 6_000),
    );
    for (const options of [{ offset: -1 }, { length: 1.5 }, { readAhead: 0 }]) {
      assert.throws(() => sandbox.fs.readFile("/tmp/span.bin", options), RangeError);
    }
    await handlesClose(env);
  });
});
