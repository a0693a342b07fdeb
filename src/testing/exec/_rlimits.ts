/**
 * Resource limits of a command: the request's `rlimits` checked the way agentd checks them and
 * turned into `prlimit` arguments.
 *
 * @module
 */

import type { ProcessRlimit } from "./_process_request.ts";
import { ERRNO, failure, type SpawnFailure } from "./_spawn_failure.ts";
import { RLIMIT_RESOURCES } from "../../models/sandbox_spec.ts";

const RLIMITS: ReadonlySet<string> = new Set(RLIMIT_RESOURCES);

const RLIM_INFINITY = 2n ** 64n - 1n;

/**
 * The `prlimit` arguments for a command's resource limits.
 *
 * @param rlimits The limits, as requested.
 * @param prlimit The host's `prlimit`, `null` when it has none.
 * @returns The arguments (none without limits), or why a limit cannot be applied.
 */
export function rlimitArgs(
  rlimits: readonly ProcessRlimit[],
  prlimit: string | null,
): { args: string[] } | { failure: SpawnFailure } {
  const args: string[] = [];
  for (const { resource, soft, hard } of rlimits) {
    const stage = `setrlimit(RLIMIT_${resource.toUpperCase()})`;
    const lo = BigInt(soft);
    const hi = BigInt(hard);
    if (!RLIMITS.has(resource)) {
      return {
        failure: failure(
          "resource_limit",
          ERRNO.EINVAL!,
          `unknown resource limit ${JSON.stringify(resource)}`,
          stage,
        ),
      };
    }
    if (lo > hi || lo < 0n) {
      return {
        failure: failure(
          "resource_limit",
          ERRNO.EINVAL!,
          `resource limit ${resource}: soft (${lo}) must not exceed hard (${hi})`,
          stage,
        ),
      };
    }
    const text = (v: bigint): string => v >= RLIM_INFINITY ? "unlimited" : String(v);
    args.push(`--${resource}=${text(lo)}:${text(hi)}`);
  }
  if (args.length > 0 && !prlimit) {
    return {
      failure: failure(
        "resource_limit",
        null,
        "cannot apply resource limits: util-linux `prlimit` is not installed on the local cloud's host",
        "setrlimit",
      ),
    };
  }
  return { args };
}
