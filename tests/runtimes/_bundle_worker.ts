// Bundles a Worker the way one is deployed: `deno bundle` into one ES module for the browser
// platform, the file miniflare loads into workerd.

import { runChild } from "./_child.ts";
import { REPO } from "./_install.ts";

/** How long `deno bundle` may run. */
const BUNDLE_TIMEOUT_MS = 90_000;

/**
 * Bundles the Worker at `entry` into `<dir>/worker.js`.
 *
 * @param dir A folder of the test's own.
 * @param entry The Worker's module, absolute or relative to the repository root.
 * @returns The bundle's path.
 * @throws {Error} When `deno bundle` fails or outlives its bound, with its output.
 */
export async function bundleWorker(dir: string, entry: string): Promise<string> {
  const out = `${dir}/worker.js`;
  await runChild({
    label: "deno bundle",
    command: Deno.execPath(),
    args: ["bundle", "--platform", "browser", "--format", "esm", "-o", out, entry],
    cwd: REPO,
    timeoutMs: BUNDLE_TIMEOUT_MS,
  });
  return out;
}
