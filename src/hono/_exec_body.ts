// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import {
  optionalPositive,
  optionalString,
  optionalStringRecord,
  optionalStrings,
  requiredString,
} from "./_fields.ts";
import type { ExecRequestBody } from "./schema.ts";

/** An exec body, checked field by field (`invalid_request` names the bad one). */
export function parseExecBody(body: Record<string, unknown>): ExecRequestBody {
  const parsed: ExecRequestBody = { cmd: requiredString(body, "cmd") };
  const args = optionalStrings(body, "args");
  const env = optionalStringRecord(body, "env");
  const cwd = optionalString(body, "cwd");
  const stdin = optionalString(body, "stdin");
  const timeoutMs = optionalPositive(body, "timeoutMs");
  if (args) parsed.args = args;
  if (env) parsed.env = env;
  if (cwd !== undefined) parsed.cwd = cwd;
  if (stdin !== undefined) parsed.stdin = stdin;
  if (timeoutMs !== undefined) parsed.timeoutMs = timeoutMs;
  return parsed;
}

/** The time limit of an exec: its own `timeoutMs`, at most `maxExecMs`. */
export function execLimit(body: ExecRequestBody, maxExecMs: number): number {
  return Math.min(body.timeoutMs ?? maxExecMs, maxExecMs);
}
