// Sessions of one sandbox never hold each other up: with WebSocketStream (this process runs with
// --unstable-net) each streamed process has its own agent socket and backpressure, and execs ride
// a shared socket whose reader never waits for one session.
import assert from "node:assert/strict";
import { GENERATIONS, setup } from "../_cloud.ts";
import { FLOOD_TOTAL, ISOLATION_EXECS, runFlood, runIsolation } from "../runtimes/_isolation.ts";

for (const wire of GENERATIONS) {
  Deno.test(`Execs complete while a reader at 1 ms per chunk and a paused reader are behind (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await env.msb.sandboxes.create({ name: "iso", image: "alpine" });
    while (sandbox.status !== "running") await sandbox.refresh();
    const result = await runIsolation(sandbox);
    assert.deepEqual(result, {
      execsOk: ISOLATION_EXECS,
      steadyDoneFirst: false,
      pausedResumedFirst: false,
      steady: "all",
      paused: "all",
    });
  });

  Deno.test(`A reader that only counts bytes gets all 256 MiB a process writes (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await env.msb.sandboxes.create({ name: "flood", image: "alpine" });
    while (sandbox.status !== "running") await sandbox.refresh();
    assert.deepEqual(await runFlood(sandbox), { read: FLOOD_TOTAL, code: 0 });
  });
}
