// Runs the smoke entry under Bun or Node 24 against a fresh local cloud, bounded in time.

import { startLocalCloud } from "../../src/testing/mod.ts";
import { resultOf, runChild } from "./_child.ts";
import { ensureRuntimes, REPO } from "./_install.ts";
import type { RuntimeResult } from "./_result.ts";
import { type CloudView, cloudView } from "./_uploads.ts";

const ENTRY = "tests/runtimes/_smoke_main.ts";

/**
 * Installs the runtime if needed, starts a local cloud, runs the smoke entry under `runtime` and
 * returns what it printed, with what the cloud saw of its uploads.
 *
 * @param runtime `bun` (`bun run`) or `node` (Node 24, type stripping).
 * @returns The child's result.
 * @throws {Error} When the install fails, or the child fails or outlives a minute.
 */
export async function smokeOnCli(runtime: "bun" | "node"): Promise<RuntimeResult & CloudView> {
  const runtimes = await ensureRuntimes();
  await using cloud = await startLocalCloud({ generation: "current" });
  const output = await runChild({
    label: runtime,
    command: runtimes[runtime],
    args: runtime === "bun" ? ["run", ENTRY] : [ENTRY],
    env: { MSB_API_URL: cloud.url, MSB_API_KEY: cloud.apiKey, MSB_ISOLATION: cloud.isolation },
    cwd: REPO,
    timeoutMs: 60_000,
  });
  return { ...resultOf<RuntimeResult>(output, runtime), ...cloudView(cloud) };
}
