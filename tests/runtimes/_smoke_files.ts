// The smoke suite's file checks, through the public API alone: a file streamed into a sandbox and
// read back (the guest filesystem over the agent socket, then `sha256sum` in an exec over the same
// tree), and a file streamed into a volume over REST and read back, then seen through a mount.
// Each file is a few MiB of a known pattern, streamed in pieces of 5 MiB: over the agent socket the
// client splits the first into `core.fs.data` chunks of 3 and 2 MiB, the second is one of its own.

import {
  ExecFailedError,
  type Microsandbox,
  MicrosandboxError,
  type Sandbox,
  SandboxFsOpsError,
} from "../../mod.ts";
import { concatBytes } from "../../src/_concat.ts";
import { expectEqual } from "./_checks.ts";

const MIB = 1024 * 1024;
/** Two stream pieces, three chunks of the agent protocol (at most 3 MiB each). */
const FILE_BYTES = 7 * MIB + 123;
/** The size of the pieces a test stream hands out: more than one chunk, not a multiple of one. */
const PIECE_BYTES = 5 * MIB;
/** The file's name in its directory. */
const FILE_NAME = "round-trip.bin";

/**
 * Streams a file into the sandbox, reads it back, and checks length and SHA-256, `stat`, `list`,
 * `sha256sum` in an exec, and the `SandboxFsOpsError` of a missing file.
 *
 * @param sandbox A running sandbox on the current wire.
 */
export async function fileRoundTrip(sandbox: Sandbox): Promise<void> {
  const content = pattern(FILE_BYTES, 1);
  const hash = await sha256(content);
  const dir = `/tmp/smoke-${crypto.randomUUID().slice(0, 8)}`;
  const path = `${dir}/${FILE_NAME}`;
  await sandbox.fs.mkdir(dir);
  await sandbox.fs.writeFile(path, streamOf(content));
  const back = await readAll(sandbox.fs.readFile(path));
  expectEqual(back.length, FILE_BYTES, "length of the file read back");
  expectEqual(await sha256(back), hash, "SHA-256 of the file read back");
  expectEqual((await sandbox.fs.stat(path)).size, FILE_BYTES, "size from stat");
  const listed = (await sandbox.fs.list(dir)).map(({ path, kind, size }) => ({ path, kind, size }));
  expectEqual(listed, [{ path, kind: "file", size: FILE_BYTES }], "the directory's list");
  await expectSha256sum(sandbox, dir, hash);
  const missing = `${dir}/missing.bin`;
  await expectMissing(sandbox.fs.bytes(missing), missing);
}

/**
 * Creates a volume, streams a file into it, reads it back (length, SHA-256), lists it, checks the
 * error of a missing file, reads it with `sha256sum` through a mount into a sandbox, and removes
 * the sandbox and the volume on every way out.
 *
 * @param msb A client on the current wire.
 * @param name The name of the volume and of the sandbox that mounts it.
 * @param isolation The local cloud's isolation: mounts show in commands under `bubblewrap` only.
 */
export async function volumeRoundTrip(
  msb: Microsandbox,
  name: string,
  isolation: string,
): Promise<void> {
  const volume = await msb.volumes.create({ name });
  const content = pattern(FILE_BYTES, 2);
  const hash = await sha256(content);
  try {
    await volume.fs.writeFile(`/${FILE_NAME}`, streamOf(content));
    const back = await volume.fs.readFile(`/${FILE_NAME}`).bytes();
    expectEqual(back.length, FILE_BYTES, "length of the volume file read back");
    expectEqual(await sha256(back), hash, "SHA-256 of the volume file read back");
    const listed = (await volume.fs.list("/")).map(({ path, kind, size }) => ({
      path,
      kind,
      size,
    }));
    expectEqual(listed, [{ path: `/${FILE_NAME}`, kind: "file", size: FILE_BYTES }], "list");
    await expectMissing(volume.fs.readFile("/missing.bin").bytes(), "/missing.bin");
    await readThroughMount(msb, name, hash, isolation);
  } catch (error) {
    await volume.remove().catch(() => {});
    throw error;
  }
  await volume.remove();
  const gone = await msb.volumes.get(name).then(() => undefined, (e: unknown) => e);
  expectEqual(
    gone instanceof MicrosandboxError ? gone.kind : String(gone),
    "VolumeNotFound",
    "get after remove",
  );
}

/** A missing file, in a sandbox or a volume: one `SandboxFsOpsError` that names it. */
async function expectMissing(read: Promise<unknown>, path: string): Promise<void> {
  const error = await read.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof SandboxFsOpsError)) {
    throw new Error(`reading a missing file: expected a SandboxFsOpsError, got ${error}`);
  }
  expectEqual([error.failureKind, error.path], ["not_found", path], "the missing file's error");
}

async function readThroughMount(
  msb: Microsandbox,
  name: string,
  hash: string,
  isolation: string,
): Promise<void> {
  const sandbox = await msb.sandboxes.create({
    name,
    image: "alpine",
    mounts: [{ type: "named", name, guest: "/data" }],
  });
  try {
    if (isolation === "bubblewrap") {
      await expectSha256sum(sandbox, "/data", hash);
      return;
    }
    const error = await sandbox.exec("true").then(() => undefined, (e: unknown) => e);
    const refused = error instanceof ExecFailedError && /bubblewrap only/.test(error.message);
    expectEqual(refused, true, `a command with a mount under ${isolation} is refused (${error})`);
  } finally {
    await sandbox.remove();
  }
}

/**
 * Runs `sha256sum` on the file in `dir`, from `dir`: a guest path as the command's working
 * directory is the sandbox's own under every isolation of the local cloud, where an absolute path
 * in its arguments is the host's unless commands get a root view (`bubblewrap`).
 */
async function expectSha256sum(sandbox: Sandbox, dir: string, hash: string): Promise<void> {
  const output = await sandbox.exec("sha256sum", [FILE_NAME], { cwd: dir });
  expectEqual(output.code, 0, `sha256sum exit code (${output.stderrText()})`);
  expectEqual(output.stdoutText(), `${hash}  ${FILE_NAME}\n`, `sha256sum in ${dir}`);
}

/** `length` bytes of a pattern that differs per `seed` and does not repeat every 256 bytes. */
function pattern(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + (i >>> 10) * seed + seed) & 0xff;
  return bytes;
}

/** A pull stream of copies of `bytes` in pieces of `PIECE_BYTES`, read only as it is read. */
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + PIECE_BYTES));
      offset += PIECE_BYTES;
    },
  });
}

/**
 * Reads a stream to its end.
 *
 * @param stream The bytes.
 * @returns All of them, in one array.
 */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return concatBytes(chunks);
}

async function sha256(bytes: Uint8Array): Promise<string> {
  // A copy: `digest` takes no view of a possibly shared buffer.
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
