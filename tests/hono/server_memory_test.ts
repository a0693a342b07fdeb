// What the adapter's server retains while it streams 64 MiB to a fast and to a slow reader: the
// preview route from python's http.server in a sandbox, and the file download route. The adapter
// runs alone in a child process (_memory_server_main.ts), the local cloud and the reader here
// (_server_memory.ts); the bytes must arrive intact and the server's retained memory (V8 heap and
// ArrayBuffers after a full GC) must stay far under the body's size. 64 MiB by default
// (MSB_HONO_SERVER_MIB sets another size).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { setup } from "../_cloud.ts";
import { patternSource } from "../_pattern_source.ts";
import { startServer, until } from "../tcp/_servers.ts";
import { running } from "./_app.ts";
import { bigDigest, previewServer } from "./_preview_server.ts";
import { type Pace, startMemoryServer } from "./_server_memory.ts";

const MIB = 1024 * 1024;
const SIZE_MIB = Number(Deno.env.get("MSB_HONO_SERVER_MIB") ?? 64);
const PORT = 7100;
/** The most the server may retain over one answer: well under its size, with room for a busy machine. */
const MAX_GROWTH_MIB = 24;

for (const pace of ["fast", "slow"] as const satisfies Pace[]) {
  Deno.test(`the preview route's server retains under ${MAX_GROWTH_MIB} MiB while it streams ${SIZE_MIB} MiB to a ${pace} reader`, async () => {
    await using env = await setup("current");
    const sandbox = await running(env, "web");
    await startServer(sandbox, previewServer(PORT));
    await using server = await startMemoryServer(env.cloud);
    const read = await server.read(`${server.base}/web/ports/${PORT}/big?mib=${SIZE_MIB}`, pace);
    console.log(
      `${SIZE_MIB} MiB through the preview route to a ${pace} reader: the server retained ` +
        `${read.growthMib} MiB more at its peak (resident ${read.rssMib} MiB at the end)`,
    );
    assert.equal(read.total, SIZE_MIB * MIB);
    assert.equal(read.digest, bigDigest(SIZE_MIB));
    assert.ok(read.growthMib < MAX_GROWTH_MIB, `the server retained ${read.growthMib} MiB more`);
    await until(() => env.cloud.openTcpTunnels().length === 0, "the preview's tunnel closed");
  });

  Deno.test(`the file download route's server retains under ${MAX_GROWTH_MIB} MiB while it streams ${SIZE_MIB} MiB to a ${pace} reader`, async () => {
    await using env = await setup("current");
    const sandbox = await running(env, "files");
    const written = createHash("sha256");
    await sandbox.fs.writeFile("/tmp/large.bin", patternSource(SIZE_MIB, written));
    await using server = await startMemoryServer(env.cloud);
    const read = await server.read(`${server.base}/files/files/tmp/large.bin`, pace);
    console.log(
      `${SIZE_MIB} MiB through the file download route to a ${pace} reader: the server ` +
        `retained ${read.growthMib} MiB more at its peak (resident ${read.rssMib} MiB at the end)`,
    );
    assert.equal(read.total, SIZE_MIB * MIB);
    assert.equal(read.digest, written.digest("hex"));
    assert.ok(read.growthMib < MAX_GROWTH_MIB, `the server retained ${read.growthMib} MiB more`);
    await until(() => env.cloud.openFileHandles() === 0, "the read's handle closed");
  });
}
