// The file routes over real HTTP against the local cloud: download (whole, ranges, HEAD), list,
// upload, delete, the typed errors of the guest filesystem, and the v0.5 refusal.
import assert from "node:assert/strict";
import type { Sandbox } from "../../mod.ts";
import { ACME, type AppSetup, appSetup, errorCode, eventually } from "./_app.ts";

/** The app over a cloud with `acme-files`, whose spec names `/workspace` as its workdir. */
async function withFiles(
  run: (app: AppSetup, sandbox: Sandbox) => Promise<void>,
): Promise<void> {
  await using app = await appSetup();
  const sandbox = await app.env.msb.sandboxes.create({
    name: "acme-files",
    image: "alpine",
    workdir: "/workspace",
  });
  await run(app, sandbox);
  // A download's handle closes just after its last byte went out.
  await eventually(() => app.env.cloud.openFileHandles() === 0, "every file handle closed");
}

/** `fetch` of a file route of `acme-files`, as the acme tenant. */
function files(app: AppSetup, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${app.base}/acme-files/files${path}`, {
    ...init,
    headers: { ...ACME, ...init.headers as Record<string, string> },
  });
}

Deno.test("GET /:name/files/* streams a file with its length, type and attachment headers", async () => {
  await withFiles(async (app, sandbox) => {
    await sandbox.fs.writeFile("/workspace/report.csv", "a,b\n1,2\n");
    const response = await files(app, "/workspace/report.csv");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-length"), "8");
    assert.equal(response.headers.get("content-type"), "application/octet-stream");
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(
      response.headers.get("content-disposition"),
      "attachment; filename*=UTF-8''report.csv",
    );
    assert.equal(response.headers.get("accept-ranges"), "bytes");
    assert.ok(response.headers.get("last-modified"));
    assert.equal(await response.text(), "a,b\n1,2\n");
  });
});

Deno.test("GET /:name/files/* answers Range requests with 206 and Content-Range", async () => {
  await withFiles(async (app, sandbox) => {
    await sandbox.fs.writeFile("/workspace/abc", "abcdefghij");
    const cases: [string, string, string][] = [
      ["bytes=2-4", "cde", "bytes 2-4/10"],
      ["bytes=7-", "hij", "bytes 7-9/10"],
      ["bytes=-3", "hij", "bytes 7-9/10"],
      ["bytes=8-100", "ij", "bytes 8-9/10"],
      ["bytes=-50", "abcdefghij", "bytes 0-9/10"],
    ];
    for (const [range, body, contentRange] of cases) {
      const response = await files(app, "/workspace/abc", { headers: { range } });
      assert.equal(response.status, 206, range);
      assert.equal(response.headers.get("content-range"), contentRange, range);
      assert.equal(response.headers.get("content-length"), String(body.length), range);
      assert.equal(await response.text(), body, range);
    }
  });
});

Deno.test("GET /:name/files/* answers 416 for a range past the end, and ignores one it does not read", async () => {
  await withFiles(async (app, sandbox) => {
    await sandbox.fs.writeFile("/workspace/abc", "abcdefghij");
    for (const range of ["bytes=10-", "bytes=99-100", "bytes=-0"]) {
      const response = await files(app, "/workspace/abc", { headers: { range } });
      assert.equal(response.status, 416, range);
      assert.equal(response.headers.get("content-range"), "bytes */10", range);
      assert.equal(await errorCode(response), "range_not_satisfiable", range);
    }
    for (const range of ["bytes=a-b", "items=0-1", "bytes=0-1,4-5", "bytes=5-2", "bytes=-"]) {
      const response = await files(app, "/workspace/abc", { headers: { range } });
      assert.equal(response.status, 200, range);
      assert.equal(await response.text(), "abcdefghij", range);
    }
    const stale = await files(app, "/workspace/abc", {
      headers: { range: "bytes=0-1", "if-range": "Thu, 01 Jan 1970 00:00:00 GMT" },
    });
    assert.equal(stale.status, 200, "If-Range of another version: the whole file");
    assert.equal(await stale.text(), "abcdefghij");
  });
});

Deno.test("HEAD /:name/files/* answers the headers without reading the file", async () => {
  await withFiles(async (app, sandbox) => {
    await sandbox.fs.writeFile("/workspace/abc", "abcdefghij");
    // Each request reads the sandbox anew: one agent socket for its `stat`, one more for a read.
    const sockets = () => app.env.cloud.requests.filter((r) => r.url.includes("/agent")).length;
    let before = sockets();
    await (await files(app, "/workspace/abc")).text();
    assert.equal(sockets() - before, 2, "a GET stats, then reads on a socket of its own");
    before = sockets();
    const response = await files(app, "/workspace/abc", { method: "HEAD" });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-length"), "10");
    assert.equal(await response.text(), "");
    const ranged = await files(app, "/workspace/abc", {
      method: "HEAD",
      headers: { range: "bytes=1-2" },
    });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get("content-length"), "2");
    assert.equal(await ranged.text(), "");
    assert.equal(sockets() - before, 2, "each HEAD only stats: no read is opened");
  });
});

Deno.test("GET /:name/files/* of a directory is 409 is_a_directory; of nothing 404 not_found", async () => {
  await withFiles(async (app) => {
    const directory = await files(app, "/workspace");
    assert.equal(directory.status, 409);
    assert.deepEqual((await directory.json()).error.kind, "is_a_directory");
    const missing = await files(app, "/workspace/nope.txt");
    assert.equal(missing.status, 404);
    const { error } = await missing.json();
    assert.deepEqual([error.code, error.kind], ["not_found", "not_found"]);
    assert.doesNotMatch(error.message, /nope|os error/, "the agent's words stay on the server");
  });
});

Deno.test("GET /:name/files/*?list lists a directory as JSON entries", async () => {
  await withFiles(async (app, sandbox) => {
    await sandbox.fs.writeFile("/workspace/a.txt", "aa");
    await sandbox.fs.mkdir("/workspace/sub");
    const response = await files(app, "/workspace?list");
    assert.equal(response.status, 200);
    const { entries } = await response.json();
    const seen = entries.map((e: { path: string; kind: string; size: number }) => [e.path, e.kind])
      .sort();
    assert.deepEqual(seen, [["/workspace/a.txt", "file"], ["/workspace/sub", "dir"]]);
    const file = entries.find((e: { path: string }) => e.path === "/workspace/a.txt");
    assert.equal(file.size, 2);
    assert.equal(typeof file.modified, "string");
    const ofFile = await files(app, "/workspace/a.txt?list");
    assert.equal(ofFile.status, 409);
    assert.equal((await ofFile.json()).error.kind, "not_a_directory");
    const bad = await files(app, "/workspace?list=maybe");
    assert.equal(bad.status, 400);
    assert.equal(await errorCode(bad), "invalid_request");
  });
});

Deno.test("PUT /:name/files/* writes the body and answers the entry; the file is read back by exec", async () => {
  await withFiles(async (app, sandbox) => {
    const put = await files(app, "/workspace/hello.txt", { method: "PUT", body: "hi there\n" });
    assert.equal(put.status, 200);
    const entry = await put.json();
    assert.deepEqual([entry.path, entry.kind, entry.size], ["/workspace/hello.txt", "file", 9]);
    assert.equal((await sandbox.exec("cat", ["/workspace/hello.txt"])).stdoutText(), "hi there\n");
    const again = await files(app, "/workspace/hello.txt", { method: "PUT", body: "x" });
    assert.equal((await again.json()).size, 1, "replaced, not appended");
    assert.equal(await sandbox.fs.text("/workspace/hello.txt"), "x");
    const names = (await sandbox.fs.list("/workspace")).map((e) => e.path);
    assert.deepEqual(names, ["/workspace/hello.txt"], "no temporary file left behind");
  });
});

Deno.test("PUT /:name/files/* into a missing directory is 404, onto a directory 409", async () => {
  await withFiles(async (app, sandbox) => {
    await sandbox.fs.mkdir("/workspace/dir");
    const missing = await files(app, "/workspace/no/such.txt", { method: "PUT", body: "x" });
    assert.equal(missing.status, 404);
    assert.equal(await errorCode(missing), "not_found");
    const onDir = await files(app, "/workspace/dir", { method: "PUT", body: "x" });
    assert.equal(onDir.status, 409);
    await onDir.body?.cancel();
    assert.deepEqual((await sandbox.fs.list("/workspace")).map((e) => e.path), ["/workspace/dir"]);
  });
});

Deno.test("DELETE /:name/files/* removes a file, a tree only with ?recursive", async () => {
  await withFiles(async (app, sandbox) => {
    await sandbox.fs.writeFile("/workspace/a.txt", "a");
    await sandbox.fs.mkdir("/workspace/tree/deep", { recursive: true });
    await sandbox.fs.writeFile("/workspace/tree/deep/b.txt", "b");
    const file = await files(app, "/workspace/a.txt", { method: "DELETE" });
    assert.equal(file.status, 204);
    assert.equal(await sandbox.fs.exists("/workspace/a.txt"), false);
    const tree = await files(app, "/workspace/tree", { method: "DELETE" });
    assert.equal(tree.status, 409);
    assert.equal((await tree.json()).error.kind, "directory_not_empty");
    assert.equal(await sandbox.fs.exists("/workspace/tree/deep/b.txt"), true);
    const recursive = await files(app, "/workspace/tree?recursive", { method: "DELETE" });
    assert.equal(recursive.status, 204);
    assert.equal(await sandbox.fs.exists("/workspace/tree"), false);
    const gone = await files(app, "/workspace/tree", { method: "DELETE" });
    assert.equal(gone.status, 404);
    await gone.body?.cancel();
  });
});

Deno.test("The file routes ask authorize and scope first", async () => {
  await withFiles(async (app) => {
    const anonymous = await fetch(`${app.base}/acme-files/files/workspace/%2e%2e`);
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
    const other = await fetch(`${app.base}/globex-files/files/workspace/x`, { headers: ACME });
    assert.equal(other.status, 404);
    assert.equal(await errorCode(other), "not_found");
  });
});

Deno.test("The file routes answer v0.5 with 501 unsupported", async () => {
  await using app = await appSetup({}, { generation: "v0.5" });
  await app.env.msb.sandboxes.create({ name: "acme-old", image: "alpine", workdir: "/workspace" });
  for (
    const [method, query] of [["GET", ""], ["GET", "?list"], ["PUT", ""], ["DELETE", ""]] as const
  ) {
    const response = await fetch(`${app.base}/acme-old/files/workspace/x${query}`, {
      method,
      headers: ACME,
      body: method === "PUT" ? "x" : null,
    });
    assert.equal(response.status, 501, `${method}${query}`);
    const { error } = await response.json();
    assert.equal(error.code, "unsupported");
    assert.doesNotMatch(error.message, new RegExp(app.env.cloud.apiKey));
  }
});
