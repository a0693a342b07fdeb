// The isolation and flood scenarios on the runtimes without WebSocketStream: Deno without
// --unstable-net, Bun 1.4 and Node 24 (plain WebSocket, no read backpressure).
import assert from "node:assert/strict";
import { startLocalCloud } from "../../src/testing/mod.ts";
import { denoDir } from "../_deno_dir.ts";
import { resultOf, runChild } from "./_child.ts";
import { ensureRuntimes, REPO } from "./_install.ts";
import { FLOOD_TOTAL, ISOLATION_EXECS } from "./_isolation.ts";
import type { IsolationRun } from "./_isolation_main.ts";

const ENTRY = "tests/runtimes/_isolation_main.ts";

async function isolationOn(runtime: "deno" | "bun" | "node"): Promise<IsolationRun> {
  const runtimes = await ensureRuntimes();
  const apiKey = "msb_test_isolation";
  await using current = await startLocalCloud({ generation: "current", apiKey });
  await using seed = await startLocalCloud({ generation: "v0.5", apiKey });
  const [command, args] = runtime === "deno"
    ? [Deno.execPath(), ["run", "-A", ENTRY]]
    : runtime === "bun"
    ? [runtimes.bun, ["run", ENTRY]]
    : [runtimes.node, [ENTRY]];
  const output = await runChild({
    label: runtime,
    command,
    args,
    env: {
      MSB_API_URL_CURRENT: current.url,
      MSB_API_URL_V05: seed.url,
      MSB_API_KEY: apiKey,
      DENO_DIR: denoDir(),
    },
    cwd: REPO,
    timeoutMs: 150_000,
  });
  return resultOf<IsolationRun>(output, runtime);
}

for (const runtime of ["deno", "bun", "node"] as const) {
  const name = runtime === "deno"
    ? "Deno without --unstable-net"
    : runtime === "bun"
    ? "Bun"
    : "Node 24";
  Deno.test(`On ${name}, execs complete beside slow readers, and 256 MiB reach a counting reader`, async () => {
    const run = await isolationOn(runtime);
    assert.equal(run.webSocketStream, false);
    for (const [wire, result] of Object.entries(run.isolation)) {
      const { steady, paused, ...order } = result;
      assert.deepEqual(order, {
        execsOk: ISOLATION_EXECS,
        steadyDoneFirst: false,
        pausedResumedFirst: false,
      }, wire);
      // Bun pauses its socket for a reader behind; without read backpressure (Deno's plain
      // WebSocket, Node's) a reader may fall past the unread bound: only its session fails.
      const allowed = runtime === "bun" ? ["all"] : ["all", "bound"];
      assert.ok(allowed.includes(steady), `${wire} steady: ${steady}`);
      assert.ok(allowed.includes(paused), `${wire} paused: ${paused}`);
    }
    assert.deepEqual(run.flood, { read: FLOOD_TOTAL, code: 0 });
  });
}
