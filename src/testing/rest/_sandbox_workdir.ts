/**
 * The working directory a sandbox's spec asks for, in either generation's shape: `workdir` of a
 * v0.5 config, `runtime.workdir` of a current spec.
 *
 * @module
 */

import type { JsonObject } from "./_sandbox_record.ts";

/**
 * Reads the sandbox's working directory from its stored spec.
 *
 * @param spec The spec (current) or config (v0.5), as the store keeps it.
 * @returns The guest path, or `null` when the spec sets none.
 */
export function workdirOf(spec: JsonObject): string | null {
  const runtime = spec.runtime;
  const nested = typeof runtime === "object" && runtime !== null
    ? (runtime as JsonObject).workdir
    : undefined;
  const workdir = nested ?? spec.workdir;
  return typeof workdir === "string" && workdir !== "" ? workdir : null;
}
