/**
 * The environment a command starts with: a usual `PATH` and `HOME` for its view of the file
 * system, then the request's own entries, then the sandbox's scripts first on `PATH`.
 *
 * @module
 */

import { GUEST_PATH, hostPath } from "./_isolation.ts";

/**
 * Builds a command's whole environment (it starts from nothing else).
 *
 * @param entries The request's `KEY=VALUE` entries; entries without `=` are dropped.
 * @param sandboxDir The sandbox folder on the host.
 * @param rootView Whether the command has the sandbox's own root view.
 * @returns The environment.
 */
export function buildEnv(
  entries: readonly string[],
  sandboxDir: string,
  rootView: boolean,
): Record<string, string> {
  const root = rootView ? "" : sandboxDir;
  const env: Record<string, string> = {
    PATH: rootView ? GUEST_PATH : hostPath(),
    HOME: rootView ? "/root" : sandboxDir,
  };
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  env.PATH = `${root}/.msb/scripts:${env.PATH}`;
  return env;
}
