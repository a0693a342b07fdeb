// A large file streamed into a sandbox and back, compared by SHA-256, with the memory the read
// holds bounded, in the V8 heap and in the process's RSS: 256 MiB (MSB_FS_LARGE_MIB sets another
// size).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { setup } from "../_cloud.ts";
import { patternSource } from "../_pattern_source.ts";

const MIB = 1024 * 1024;
const SIZE_MIB = Number(Deno.env.get("MSB_FS_LARGE_MIB") ?? 256);

/** The reader's V8 heap cap: a reader that buffered the file in JS objects would run out of it. */
const HEAP_MIB = 64;
/**
 * The bound of the reader's RSS growth at the default size, which sees what the heap does not:
 * the bytes themselves (ArrayBuffers live outside the V8 heap) and the socket's buffers. A reader
 * that kept every chunk grew by 290 MiB; a streaming one by 78 to 128 MiB in ten runs under a
 * busy core, garbage ArrayBuffers awaiting collection and the allocator's pages. That slack
 * creeps with the size (about 150 MiB at 1 GiB, 210 MiB at 2 GiB), so other sizes only report it.
 */
const RSS_MIB = 192;

Deno.test(`SandboxFs streams ${SIZE_MIB} MiB in and out byte for byte; the reader's heap stays under ${HEAP_MIB} MiB, its RSS growth under ${RSS_MIB} MiB at 256 MiB`, async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "large", image: "alpine" });
  const written = createHash("sha256");
  await sandbox.fs.writeFile("/tmp/large.bin", patternSource(SIZE_MIB, written));
  assert.equal((await sandbox.fs.stat("/tmp/large.bin")).size, SIZE_MIB * MIB);

  const reader = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-net",
      `--v8-flags=--max-old-space-size=${HEAP_MIB}`,
      new URL("./_large_reader.ts", import.meta.url).pathname,
      env.cloud.url,
      env.cloud.apiKey,
      sandbox.name,
      "/tmp/large.bin",
    ],
    stdout: "piped",
  }).output();
  assert.equal(reader.code, 0, "the reader failed (out of memory?)");
  const [total, digest, growth, rss] = new TextDecoder().decode(reader.stdout).trim().split(" ");
  console.log(`read ${SIZE_MIB} MiB, reader heap growth ${growth} MiB, RSS growth ${rss} MiB`);
  assert.equal(Number(total), SIZE_MIB * MIB);
  assert.equal(digest, written.digest("hex"));
  assert.ok(Number(growth) < HEAP_MIB);
  if (SIZE_MIB === 256) assert.ok(Number(rss) < RSS_MIB, `the reader's RSS grew by ${rss} MiB`);
  assert.equal(env.cloud.openFileHandles(), 0);
});
