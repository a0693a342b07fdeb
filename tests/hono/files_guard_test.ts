// What the file routes refuse before the sandbox's filesystem is touched: every path that is not
// normal (sent as raw HTTP, as written), paths out of the files policy, and uploads over the limit;
// and a download whose client goes away closes its handle in the sandbox.
import assert from "node:assert/strict";
import { type FileAccess, insideWorkdir } from "../../src/hono/mod.ts";
import {
  ACME,
  type AppSetup,
  appSetup,
  errorCode,
  eventually,
  rawRequest,
  type Tenant,
} from "./_app.ts";

/** The paths under `/acme-files/files` that are refused with `invalid_path`, as sent. */
const BAD_PATHS: readonly string[] = [
  "/workspace/../etc/passwd",
  "/workspace/a/..",
  "/workspace/./a",
  "/workspace/.",
  "/workspace/%2e%2e/etc/passwd",
  "/workspace/%2E%2E/etc/passwd",
  "/workspace/.%2e/etc",
  "/workspace/%2e./etc",
  "/workspace/%2e/a",
  "/workspace//a",
  "//workspace/a",
  "/workspace/a/",
  "/workspace/a\\..\\b",
  "/workspace/a%5Cb",
  "/workspace/a%2Fb",
  "/workspace/..%2f..%2fetc",
  "/workspace/a%00b",
  "/workspace/a%0ab",
  "/workspace/%252e%252e/etc",
  "/workspace/a%252Fb",
  "/workspace/%ff",
  "/workspace/%",
  `/workspace/${"a".repeat(4096)}`,
];

async function withApp(
  options: Parameters<typeof appSetup>[0],
  run: (app: AppSetup) => Promise<void>,
): Promise<void> {
  await using app = await appSetup(options);
  await app.env.msb.sandboxes.create({
    name: "acme-files",
    image: "alpine",
    workdir: "/workspace",
  });
  await run(app);
}

/** What reached the cloud after `mark`, as `METHOD url` lines. */
function since(app: AppSetup, mark: number): string[] {
  return app.env.cloud.requests.slice(mark).map((r) => `${r.method} ${r.url}`);
}

Deno.test("The file routes refuse every path that is not normal with 400 invalid_path, before any request upstream", async () => {
  await withApp({}, async (app) => {
    const mark = app.env.cloud.requests.length;
    for (const method of ["GET", "PUT", "DELETE", "HEAD"]) {
      for (const path of BAD_PATHS) {
        const headers = { ...ACME, connection: "close", "content-length": "0" };
        const [status, body] = await rawRequest(app, method, `/acme-files/files${path}`, headers);
        assert.equal(status, 400, `${method} ${path}`);
        if (method !== "HEAD") {
          assert.equal((body as { error: { code: string } }).error.code, "invalid_path", path);
        }
      }
    }
    assert.deepEqual(since(app, mark), [], "no request reached the cloud");
  });
});

Deno.test("The default files policy allows the sandbox's workdir and refuses the rest with 403", async () => {
  await withApp({}, async (app) => {
    const sandbox = await app.env.msb.sandboxes.get("acme-files");
    await sandbox.fs.writeFile("/tmp/secret", "s");
    for (
      const [method, path] of [
        ["GET", "/etc/passwd"],
        ["GET", "/tmp/secret"],
        ["GET", "/workspacex/a"],
        ["GET", "/?list"],
        ["PUT", "/tmp/x"],
        ["DELETE", "/tmp/secret"],
        ["DELETE", "/workspace?recursive"],
        ["PUT", "/workspace"],
      ] as const
    ) {
      const mark = app.env.cloud.requests.length;
      const response = await fetch(`${app.base}/acme-files/files${path}`, {
        method,
        headers: ACME,
        body: method === "PUT" ? "x" : null,
      });
      assert.equal(response.status, 403, `${method} ${path}`);
      const { error } = await response.json();
      assert.equal(error.code, "forbidden");
      assert.match(error.message, /files policy/);
      assert.ok(
        !since(app, mark).some((line) => line.includes("/agent")),
        `${method} ${path}: the sandbox's filesystem was not touched`,
      );
    }
    assert.equal(await sandbox.fs.text("/tmp/secret"), "s");
    const inside = await fetch(`${app.base}/acme-files/files/workspace?list`, { headers: ACME });
    assert.equal(inside.status, 200);
    await inside.body?.cancel();
  });
});

Deno.test("The default files policy refuses everything in a sandbox whose spec names no workdir", async () => {
  await withApp({}, async (app) => {
    await app.env.msb.sandboxes.create({ name: "acme-bare", image: "alpine" });
    for (const path of ["/workspace/a", "/tmp/a", "/?list"]) {
      const response = await fetch(`${app.base}/acme-bare/files${path}`, { headers: ACME });
      assert.equal(response.status, 403, path);
      assert.equal(await errorCode(response), "forbidden");
    }
  });
});

Deno.test("A custom files policy sees the op, the normal path, the sandbox and its workdir", async () => {
  const seen: FileAccess[] = [];
  const files = (access: FileAccess, principal: Tenant) => {
    seen.push(access);
    return principal.tenant === "acme" && access.op === "read" && access.path.startsWith("/etc/");
  };
  await withApp({ files }, async (app) => {
    const passwd = await fetch(`${app.base}/acme-files/files/etc/hostname`, { headers: ACME });
    assert.equal(passwd.status, 200, "reads under /etc are allowed");
    await passwd.body?.cancel();
    const write = await fetch(`${app.base}/acme-files/files/etc/x`, {
      method: "PUT",
      headers: ACME,
      body: "x",
    });
    assert.equal(write.status, 403);
    await write.body?.cancel();
    const inWorkdir = await fetch(`${app.base}/acme-files/files/workspace?list`, { headers: ACME });
    assert.equal(inWorkdir.status, 403, "the custom policy replaces the default");
    await inWorkdir.body?.cancel();
    assert.deepEqual(seen.map((a) => [a.op, a.path, a.sandbox, a.workdir]), [
      ["read", "/etc/hostname", "acme-files", "/workspace"],
      ["write", "/etc/x", "acme-files", "/workspace"],
      ["list", "/workspace", "acme-files", "/workspace"],
    ]);
    assert.ok(seen.every(Object.isFrozen));
  });
});

Deno.test("sandboxRoutes refuses a files policy that is not a function, and a bad maxUploadBytes", async () => {
  await assert.rejects(() => appSetup({ files: "/workspace" as never }), TypeError);
  await assert.rejects(() => appSetup({ maxUploadBytes: 0 }), RangeError);
});

/** A body of `chunks` chunks of `size` bytes each, streamed (no `Content-Length`). */
function streamed(chunks: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ === chunks) return controller.close();
      controller.enqueue(new Uint8Array(size).fill(120));
    },
  });
}

Deno.test("PUT /:name/files/* counts a streamed body against maxUploadBytes: 413, the write aborted, the old file kept", async () => {
  await withApp({ maxUploadBytes: 10_000 }, async (app) => {
    const sandbox = await app.env.msb.sandboxes.get("acme-files");
    await sandbox.fs.writeFile("/workspace/keep.txt", "old");
    const response = await fetch(`${app.base}/acme-files/files/workspace/keep.txt`, {
      method: "PUT",
      headers: ACME,
      body: streamed(8, 4096),
    });
    assert.equal(response.status, 413);
    assert.equal(await errorCode(response), "payload_too_large");
    await eventually(() => app.env.cloud.openFileHandles() === 0, "the write's handle closed");
    assert.equal(await sandbox.fs.text("/workspace/keep.txt"), "old", "nothing partial claimed");
    assert.deepEqual((await sandbox.fs.list("/workspace")).map((e) => e.path), [
      "/workspace/keep.txt",
    ], "the partial upload is removed");
    const exact = await fetch(`${app.base}/acme-files/files/workspace/exact.bin`, {
      method: "PUT",
      headers: ACME,
      body: streamed(1, 10_000),
    });
    assert.equal(exact.status, 200, "exactly the limit is allowed");
    assert.equal((await exact.json()).size, 10_000);
  });
});

Deno.test("PUT /:name/files/* with a Content-Length over maxUploadBytes is 413 before any request upstream", async () => {
  await withApp({ maxUploadBytes: 1000 }, async (app) => {
    const mark = app.env.cloud.requests.length;
    const [status, body] = await rawRequest(app, "PUT", "/acme-files/files/workspace/big", {
      ...ACME,
      connection: "close",
      "content-length": "1001",
    }, "x".repeat(1001));
    assert.equal(status, 413);
    assert.equal((body as { error: { code: string } }).error.code, "payload_too_large");
    assert.deepEqual(since(app, mark), []);
  });
});

Deno.test("A client that goes away mid-download closes the file handle in the sandbox", async () => {
  await withApp({}, async (app) => {
    const sandbox = await app.env.msb.sandboxes.get("acme-files");
    const size = 64 * 1024 * 1024;
    await sandbox.fs.writeFile("/workspace/big.bin", streamed(64, 1024 * 1024));
    const url = new URL(app.base);
    const connection = await Deno.connect({ hostname: "127.0.0.1", port: Number(url.port) });
    const request = `GET ${url.pathname}/acme-files/files/workspace/big.bin HTTP/1.1\r\n` +
      `host: ${url.host}\r\nauthorization: ${ACME.authorization}\r\n\r\n`;
    await connection.write(new TextEncoder().encode(request));
    const reader = connection.readable.getReader();
    let received = 0;
    while (received < 1024 * 1024) received += (await reader.read()).value?.byteLength ?? size;
    assert.ok(received < size, "the download is under way");
    assert.equal(app.env.cloud.openFileHandles(), 1, "the read holds a handle while it streams");
    await reader.cancel();
    await eventually(() => app.env.cloud.openFileHandles() === 0, "the read's handle closed");
  });
});

Deno.test("insideWorkdir reads the workdir as a normal absolute path, or allows nothing", () => {
  const at = (workdir: string | undefined, path: string, op: FileAccess["op"] = "read") =>
    insideWorkdir({ op, path, sandbox: "acme-files", workdir });
  assert.ok(at("/workspace/", "/workspace/a"), "a trailing slash is the same directory");
  assert.ok(at("/workspace", "/workspace", "list"));
  assert.ok(!at("/workspace", "/workspace", "write"), "the workdir itself is not replaced");
  assert.ok(!at("/workspace", "/workspace", "delete"), "nor removed");
  assert.ok(!at("/workspace", "/workspacex/a"), "a sibling with the same prefix");
  assert.ok(at("/", "/etc/passwd"), "a workdir of / allows the whole sandbox");
  assert.ok(!at("/", "/", "delete"));
  for (const workdir of [undefined, "", "workspace", "/a/../etc", "/a//b", "/a/./b", "/a\\b"]) {
    assert.ok(!at(workdir, "/a/../etc/x"), String(workdir));
    assert.ok(!at(workdir, "/etc/x"), String(workdir));
  }
});
