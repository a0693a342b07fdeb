// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import {
  optionalPositive,
  optionalString,
  optionalStringRecord,
  optionalStrings,
  requiredString,
} from "./_fields.ts";
import { checkBodyEnv } from "./_command_env.ts";
import { commandRequest } from "./_command_request.ts";
import type { CommandRequest } from "./command_request.ts";
import type { ExecRequestBody } from "./schema.ts";

/** An exec body, checked field by field (`invalid_request` names the bad one). */
export function parseExecBody(body: Record<string, unknown>): ExecRequestBody {
  const parsed: ExecRequestBody = { cmd: requiredString(body, "cmd") };
  const args = optionalStrings(body, "args");
  const env = optionalStringRecord(body, "env");
  const cwd = optionalString(body, "cwd");
  const user = optionalString(body, "user");
  const stdin = optionalString(body, "stdin");
  const timeoutMs = optionalPositive(body, "timeoutMs");
  if (args) parsed.args = args;
  if (env) parsed.env = checkBodyEnv(env);
  if (cwd !== undefined) parsed.cwd = cwd;
  if (user !== undefined) parsed.user = user;
  if (stdin !== undefined) parsed.stdin = stdin;
  if (timeoutMs !== undefined) parsed.timeoutMs = timeoutMs;
  return parsed;
}

/** What an exec body asks to run, for the policy; its time limit at most `maxExecMs`. */
export function execCommand(body: ExecRequestBody, maxExecMs: number): CommandRequest {
  return commandRequest({
    route: "exec",
    cmd: body.cmd,
    args: body.args ?? [],
    env: body.env ?? {},
    cwd: body.cwd,
    user: body.user,
    tty: false,
    stdin: body.stdin !== undefined,
    timeoutMs: Math.min(body.timeoutMs ?? maxExecMs, maxExecMs),
  });
}
