import assert from "node:assert/strict";
import { GENERATIONS, setup } from "../_cloud.ts";

const TOTAL = 200 * 1024 * 1024;
const MiB = 1024 * 1024;

for (const wire of GENERATIONS) {
  Deno.test(`A slow consumer of 200 MB of stdout holds the remote process back (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await env.msb.sandboxes.create({ name: "flood", image: "alpine" });
    while (sandbox.status !== "running") await sandbox.refresh();
    const process = await sandbox.spawn("head", ["-c", String(TOTAL), "/dev/zero"]);
    await process.stdin.close();
    await process.stderr.cancel();
    const reader = process.stdout.getReader();
    let read = 0;
    let stalls = 0;
    // The consumer stops for 1.5 s after the first MiB and again at 100 MiB. Unblocked, `head`
    // writes 200 MB in well under that time over loopback; with backpressure from this reader
    // through the socket to the cloud's pipe it must still be running, blocked on its stdout.
    for (const stallAt of [MiB, 100 * MiB, Infinity]) {
      while (read < stallAt) {
        const { done, value } = await reader.read();
        if (done) break;
        read += value.byteLength;
      }
      if (stallAt === Infinity) break;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const blocked = env.cloud.processes().some((p) => p.cmd.includes("head"));
      assert.ok(blocked, `head finished while the consumer had read only ${read} bytes`);
      stalls++;
    }
    assert.equal(stalls, 2);
    assert.equal(read, TOTAL);
    assert.deepEqual(await process.exited, { code: 0, success: true });
  });
}
