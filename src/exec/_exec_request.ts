// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { timerMs } from "../config/_timer_ms.ts";
import { InvalidConfigError } from "../errors.ts";
import type { SandboxSpec } from "../models/sandbox_spec.ts";
import type { ExecRequest } from "../protocol/mod.ts";
import type { SpawnOptions } from "./exec_options.ts";

/**
 * Fills an `ExecRequest` the way the SDK's `build_exec_request` does: the sandbox's env with every
 * overridden key dropped, then the overrides; `cwd` from the options, the sandbox's workdir or
 * `/`; `user` from the options or the sandbox; a `TERM` for terminals.
 */
export function buildExecRequest(
  spec: SandboxSpec,
  cmd: string,
  args: readonly string[],
  options: SpawnOptions,
): ExecRequest {
  if (typeof cmd !== "string" || cmd === "") throw new InvalidConfigError("exec needs a command");
  if (options.timeout !== undefined) timerMs("timeout", options.timeout);
  const overrides = Object.entries(options.env ?? {});
  const overridden = new Set(overrides.map(([key]) => key));
  const env = [
    ...Object.entries(spec.env ?? {}).filter(([key]) => !overridden.has(key)),
    ...overrides,
  ].map(([key, value]) => `${key}=${value}`);
  const tty = options.tty ?? false;
  if (tty && !env.some((entry) => entry.startsWith("TERM="))) env.push("TERM=xterm");
  return {
    cmd,
    args: [...args],
    env,
    cwd: options.cwd ?? spec.workdir ?? "/",
    user: options.user ?? spec.user ?? null,
    tty,
    rows: size("rows", options.rows ?? 24),
    cols: size("cols", options.cols ?? 80),
    rlimits: (options.rlimits ?? []).map((limit) => {
      if (limit.soft > limit.hard) {
        throw new InvalidConfigError(
          `rlimit ${limit.resource}: soft (${limit.soft}) must not exceed hard (${limit.hard})`,
        );
      }
      return { resource: limit.resource, soft: limit.soft, hard: limit.hard };
    }),
  };
}

/** Checks a terminal dimension: an integer from 1 to 65535. */
export function size(what: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 0xffff) {
    throw new InvalidConfigError(`${what} must be an integer from 1 to 65535, got ${value}`);
  }
  return value;
}
