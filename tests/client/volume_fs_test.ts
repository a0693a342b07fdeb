// volume.fs over real HTTP against the local cloud, with no sandbox anywhere: every file
// operation, its typed errors, path checks, caps, and cancellation reaching the request.
import assert from "node:assert/strict";
import {
  AuthenticationError,
  CloudHttpError,
  type FetchLike,
  InvalidConfigError,
  type MicrosandboxError,
  SandboxFsOpsError,
  type SandboxFsOpsErrorKind,
  type Volume,
  VolumeNotFoundError,
} from "../../mod.ts";
import { type Setup, setup } from "../_cloud.ts";

const encoder = new TextEncoder();

/** A check that the call failed on `path` with a `SandboxFsOpsError` of this kind and answer. */
function fileError(
  path: string,
  failureKind: SandboxFsOpsErrorKind,
  status: number,
  code: string,
): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof SandboxFsOpsError, String(error));
    assert.equal(error.kind, "SandboxFsOps");
    assert.deepEqual(
      [error.path, error.failureKind, error.errno, error.status, error.code],
      [path, failureKind, null, status, code],
      error.message,
    );
    return true;
  };
}

function isFileNotFound(path: string): (error: unknown) => boolean {
  return fileError(path, "not_found", 404, "volume_file_not_found");
}

function isBadPath(path: string): (error: unknown) => boolean {
  return fileError(path, "invalid_path", 400, "invalid_volume_path");
}

function isRefused(path: string): (error: unknown) => boolean {
  return fileError(path, "other", 400, "invalid_request");
}

async function volumeIn(env: Setup): Promise<Volume> {
  return await env.msb.volumes.create({ name: "files" });
}

Deno.test("VolumeFs.writeFile takes text, bytes, a Blob and a stream; readFile reads them back", async () => {
  await using env = await setup("current");
  const { fs } = await volumeIn(env);
  await fs.writeFile("/text.txt", "héllo\n");
  await fs.writeFile("bytes.bin", new Uint8Array([0, 1, 2, 255]));
  await fs.writeFile("/blob.txt", new Blob(["from ", "a blob"]));
  await fs.writeFile(
    "/stream.txt",
    ReadableStream.from(["one ", "two ", "three"].map((part) => encoder.encode(part))),
  );
  assert.equal(await fs.readFile("/text.txt").text(), "héllo\n");
  assert.deepEqual(await fs.readFile("/bytes.bin").bytes(), new Uint8Array([0, 1, 2, 255]));
  assert.equal(await fs.readFile("blob.txt").text(), "from a blob");
  let streamed = "";
  const decoder = new TextDecoder();
  for await (const chunk of fs.readFile("/stream.txt")) {
    streamed += decoder.decode(chunk, { stream: true });
  }
  assert.equal(streamed, "one two three");
  await fs.writeFile("/text.txt", "");
  assert.equal(await fs.readFile("/text.txt").text(), "", "a write replaces the file");
});

Deno.test("VolumeFs sends the path base64url-encoded without padding in x-msb-file-path", async () => {
  await using env = await setup("current");
  const { fs } = await volumeIn(env);
  await fs.writeFile("/ü?.txt", "x");
  const put = env.cloud.requests.find((request) => request.method === "PUT")!;
  assert.equal(put.headers["x-msb-file-path"], "L8O8Py50eHQ");
  assert.equal(put.headers["content-type"], "application/octet-stream");
  assert.match(put.url, /^\/v1\/volumes\/[0-9a-f-]{36}\/files\/content$/);
  assert.equal(await fs.readFile("/ü?.txt").text(), "x");
});

Deno.test("VolumeFs.list, stat and exists describe files and directories", async () => {
  await using env = await setup("current");
  const { fs } = await volumeIn(env);
  await fs.mkdir("/docs/deep/er");
  await fs.mkdir("/docs/deep", {});
  await fs.writeFile("/docs/b.txt", "12345");
  await fs.writeFile("/docs/a.txt", "1");
  const entries = await fs.list("/docs");
  assert.deepEqual(entries.map(({ path, kind, size }) => [path, kind, size]), [
    ["/docs/a.txt", "file", 1],
    ["/docs/b.txt", "file", 5],
    ["/docs/deep", "directory", 0],
  ]);
  assert.deepEqual((await fs.list("/")).map((entry) => entry.path), ["/docs"]);
  const stat = await fs.stat("/docs/b.txt");
  assert.equal(stat.kind, "file");
  assert.equal(stat.size, 5);
  assert.equal(stat.readonly, false);
  assert.ok(stat.modifiedAt instanceof Date);
  assert.equal(stat.mode & 0o600, 0o600);
  assert.equal((await fs.stat("/docs/deep/er")).kind, "directory");
  assert.equal(await fs.exists("/docs/a.txt"), true);
  assert.equal(await fs.exists("/docs"), true);
  assert.equal(await fs.exists("/docs/nope"), false);
});

Deno.test("VolumeFs.remove removes files, and directories only when recursive or empty", async () => {
  await using env = await setup("current");
  const { fs } = await volumeIn(env);
  await fs.mkdir("/full/sub");
  await fs.writeFile("/full/sub/f", "x");
  await fs.writeFile("/lone", "x");
  await fs.mkdir("/empty");
  await fs.remove("/lone");
  await fs.remove("/empty");
  await assert.rejects(fs.remove("/full"), (error: unknown) => {
    assert.match(String(error), /not empty/);
    return isRefused("/full")(error);
  });
  assert.equal(await fs.exists("/full/sub/f"), true);
  await fs.remove("/full", { recursive: true });
  assert.deepEqual(await fs.list("/"), []);
  const deletes = env.cloud.requests.filter((request) => request.method === "DELETE");
  assert.deepEqual(deletes.map((request) => request.headers["x-msb-file-recursive"]), [
    "false",
    "false",
    "false",
    "true",
  ]);
  await assert.rejects(fs.remove("/lone"), isFileNotFound("/lone"));
  await assert.rejects(fs.remove("/"), isBadPath("/"));
});

Deno.test("VolumeFs.copy copies files and directories; rename moves them", async () => {
  await using env = await setup("current");
  const { fs } = await volumeIn(env);
  await fs.mkdir("/src/inner");
  await fs.writeFile("/src/inner/f.txt", "payload");
  await fs.copy("/src", "/copy");
  await fs.copy("/src/inner/f.txt", "/f2.txt");
  assert.equal(await fs.readFile("/copy/inner/f.txt").text(), "payload");
  assert.equal(await fs.readFile("/f2.txt").text(), "payload");
  await fs.rename("/copy", "/moved");
  assert.equal(await fs.exists("/copy"), false);
  assert.equal(await fs.readFile("/moved/inner/f.txt").text(), "payload");
  const post = env.cloud.requests.find((request) => request.url.endsWith("/files/copy"))!;
  assert.deepEqual(JSON.parse(post.body), { from: "/src", to: "/copy" });
  await assert.rejects(fs.copy("/none", "/x"), isFileNotFound("/none"));
  await assert.rejects(fs.rename("/none", "/x"), isFileNotFound("/none"));
  await assert.rejects(fs.copy("/src", "/no/such/dir"), isFileNotFound("/src"));
  await assert.rejects(fs.copy("/src", "/src/inner/again"), isRefused("/src"));
  await assert.rejects(fs.rename("/src", "/src/inner/again"), isRefused("/src"));
});

Deno.test("VolumeFs rejects a missing file or a wrong kind of entry with SandboxFsOpsError and its path", async () => {
  await using env = await setup("current");
  const { fs } = await volumeIn(env);
  await assert.rejects(fs.readFile("/missing").text(), (error: MicrosandboxError) => {
    assert.equal(
      error.message,
      "GET /v1/volumes/:id/files/content: No file or directory at /missing",
    );
    return isFileNotFound("/missing")(error);
  });
  await assert.rejects(fs.stat("/missing"), isFileNotFound("/missing"));
  await assert.rejects(fs.list("missing"), isFileNotFound("missing"));
  await assert.rejects(fs.writeFile("/no/dir/file", "x"), isFileNotFound("/no/dir/file"));
  await fs.writeFile("/file", "x");
  await assert.rejects(fs.list("/file"), isRefused("/file"));
  await assert.rejects(fs.readFile("/").bytes(), isRefused("/"));
  await assert.rejects(fs.mkdir("/file/sub"), isRefused("/file/sub"));
});

Deno.test("VolumeFs maps the cloud's answers about a file to SandboxFsOpsError kinds, others not", async () => {
  await using env = await setup("current", { retry: false });
  const { fs } = await volumeIn(env);
  const rows: [number, string | undefined, (error: unknown) => boolean][] = [
    [500, "volume_file_not_found", fileError("/f", "not_found", 500, "volume_file_not_found")],
    [500, "invalid_volume_path", fileError("/f", "invalid_path", 500, "invalid_volume_path")],
    [507, "quota_exceeded", fileError("/f", "no_space", 507, "quota_exceeded")],
    [400, "invalid_request", fileError("/f", "other", 400, "invalid_request")],
    [422, "http_422", fileError("/f", "other", 422, "http_422")],
    [400, "invalid_sandbox_config", (error) => error instanceof InvalidConfigError],
    [404, undefined, (error) => error instanceof VolumeNotFoundError],
    [404, "volume_not_found", (error) => error instanceof VolumeNotFoundError],
    [500, "internal_error", (error) => error instanceof CloudHttpError && error.status === 500],
    [401, "invalid_api_key", (error) => error instanceof AuthenticationError],
  ];
  for (const [status, code, check] of rows) {
    env.cloud.faults.failNext(1, code === undefined ? { status } : { status, code });
    await assert.rejects(fs.stat("/f"), check, `${status} ${code}`);
  }
});

Deno.test("VolumeFs refuses .., NUL and escapes through symbolic links (invalid_volume_path)", async () => {
  await using env = await setup("current");
  const volume = await volumeIn(env);
  const { fs } = volume;
  for (const path of ["..", "/a/../../etc/passwd", "../x", "a\0b"]) {
    await assert.rejects(fs.stat(path), isBadPath(path), path);
    await assert.rejects(fs.readFile(path).bytes(), isBadPath(path), path);
    await assert.rejects(fs.writeFile(path, "x"), isBadPath(path), path);
    await assert.rejects(fs.mkdir(path), isBadPath(path), path);
    await assert.rejects(fs.copy("/", path), isBadPath("/"), path);
  }
  const dir = await env.cloud.volumeDir("files");
  await Deno.symlink("/etc", `${dir}/escape`);
  await assert.rejects(fs.readFile("/escape/hostname").bytes(), isBadPath("/escape/hostname"));
  await assert.rejects(fs.list("/escape"), isBadPath("/escape"));
  await assert.rejects(fs.writeFile("/escape/planted", "x"), isBadPath("/escape/planted"));
  assert.equal((await fs.stat("/escape")).kind, "symlink", "the link itself may be described");
  await fs.remove("/escape");
  assert.equal(await fs.exists("/escape"), false);
});

Deno.test("The local cloud refuses a missing or malformed x-msb-file-path", async () => {
  await using env = await setup("current");
  const volume = await volumeIn(env);
  const url = `${env.cloud.url}/v1/volumes/${volume.id}/files/stat`;
  const authorization = `Bearer ${env.cloud.apiKey}`;
  for (const header of [undefined, "a+b", "L8O8Py50eHQ=", "A", "_w"]) {
    const headers: Record<string, string> = { authorization };
    if (header !== undefined) headers["x-msb-file-path"] = header;
    const response = await fetch(url, { headers });
    const body = await response.json();
    assert.equal(response.status, 400, String(header));
    assert.equal(body.error.code, "invalid_volume_path", String(header));
  }
});

Deno.test("VolumeFs calls on a removed volume reject with VolumeNotFoundError", async () => {
  await using env = await setup("current");
  const volume = await volumeIn(env);
  await volume.remove();
  await assert.rejects(
    volume.fs.writeFile("/x", "x"),
    (error: unknown) =>
      error instanceof VolumeNotFoundError && error.status === 404 &&
      error.code === "volume_not_found",
  );
  await assert.rejects(volume.fs.readFile("/x").text(), VolumeNotFoundError);
  await assert.rejects(volume.fs.list("/"), VolumeNotFoundError);
  await assert.rejects(volume.fs.mkdir("/d"), VolumeNotFoundError);
});

Deno.test("A write past the volume's cap is refused with 507 (no_space) and leaves the old file", async () => {
  await using env = await setup("current");
  const volume = await env.msb.volumes.create({ name: "small", quotaGib: 1 });
  const dir = await env.cloud.volumeDir("small");
  using filler = await Deno.create(`${dir}/filler`);
  await filler.truncate(2 ** 30 - 1536); // sparse: counts against the cap, costs no disk
  await volume.fs.writeFile("/keep", new Uint8Array(1024));
  const isOverCap = (path: string) => fileError(path, "no_space", 507, "quota_exceeded");
  await assert.rejects(volume.fs.writeFile("/big", new Uint8Array(8192)), isOverCap("/big"));
  const chunks = Array.from({ length: 64 }, () => new Uint8Array(64 * 1024));
  await assert.rejects(
    volume.fs.writeFile("/big", ReadableStream.from(chunks)),
    isOverCap("/big"),
  );
  await assert.rejects(volume.fs.writeFile("/keep", new Uint8Array(8192)), isOverCap("/keep"));
  assert.equal((await volume.fs.stat("/keep")).size, 1024, "the old file is intact");
  await assert.rejects(volume.fs.copy("/keep", "/keep2"), isOverCap("/keep"));
  assert.equal(await volume.fs.exists("/big"), false);
  await volume.fs.writeFile("/keep", new Uint8Array(1536)); // replacing frees the old bytes
  assert.equal((await env.msb.volumes.get("small")).usedBytes, 2 ** 30, "full to the byte");
  await env.msb.volumes.update("small", { quotaGib: 2 });
  await volume.fs.writeFile("/big", new Uint8Array(8192));
  assert.deepEqual(
    [...Deno.readDirSync(dir)].map((entry) => entry.name).filter((name) => name.startsWith(".")),
    [],
    "no upload leftovers",
  );
});

Deno.test("Cancelling a file read aborts its request", async () => {
  const signals: AbortSignal[] = [];
  const recording: FetchLike = (input, init) => {
    if (init?.signal) signals.push(init.signal);
    return fetch(input, init);
  };
  await using env = await setup("current", { fetch: recording });
  const { fs } = await volumeIn(env);
  await fs.writeFile("/big", new Uint8Array(8 * 1024 * 1024));
  signals.length = 0;
  const reader = fs.readFile("/big").getReader();
  const first = await reader.read();
  assert.ok(first.value && first.value.byteLength > 0);
  await reader.cancel();
  assert.equal(signals.length, 1);
  assert.ok(signals[0]!.aborted);
});

Deno.test("Aborting a streamed upload cuts it and leaves no file behind", async () => {
  await using env = await setup("current");
  const { fs } = await volumeIn(env);
  const abort = new AbortController();
  let sent = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += 1;
      if (sent === 16) abort.abort(new Error("enough"));
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
  await assert.rejects(
    fs.writeFile("/partial", endless, { signal: abort.signal }),
    (error: unknown) => error instanceof Error && error.message === "enough",
  );
  const dir = await env.cloud.volumeDir("files");
  const deadline = Date.now() + 30_000;
  while ([...Deno.readDirSync(dir)].length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), []);
});
