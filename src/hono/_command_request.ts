// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { SpawnOptions } from "../exec/exec_options.ts";
import type { CommandRequest } from "./command_request.ts";

/** A frozen `CommandRequest`, with copies of `args` and `env` so nothing else holds them. */
export function commandRequest(fields: CommandRequest): CommandRequest {
  return Object.freeze({
    route: fields.route,
    cmd: fields.cmd,
    args: Object.freeze([...fields.args]),
    env: Object.freeze({ ...fields.env }),
    cwd: fields.cwd,
    user: fields.user,
    tty: fields.tty,
    stdin: fields.stdin,
    timeoutMs: fields.timeoutMs,
  });
}

/** What the process runs with, taken from the checked request only. */
export function spawnOptionsOf(
  command: CommandRequest,
): Pick<SpawnOptions, "env" | "cwd" | "user" | "timeout"> {
  return { env: command.env, cwd: command.cwd, user: command.user, timeout: command.timeoutMs };
}
