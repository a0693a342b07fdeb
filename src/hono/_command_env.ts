// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { RouteError } from "./errors.ts";

/** The most variables a request may set. */
export const MAX_ENV_VARS = 256;
/** The most characters of one `NAME=value`. */
export const MAX_ENV_VAR_CHARS = 32 * 1024;

/** A portable variable name: what a policy compares is what the process gets. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks the `env` of an exec body (`invalid_request` names the field). */
export function checkBodyEnv(env: Record<string, string>): Record<string, string> {
  const problem = envProblem(Object.entries(env));
  if (problem) throw new RouteError("invalid_request", `The field "env" must ${problem}.`);
  return env;
}

/** The variables of the WebSocket query's repeated `env=NAME=value` (`invalid_request` names it). */
export function queryEnv(entries: readonly string[]): Record<string, string> {
  const pairs: [string, string][] = [];
  for (const entry of entries) {
    const at = entry.indexOf("=");
    if (at < 0) throw badQuery(`be NAME=value: ${JSON.stringify(entry.slice(0, 64))} has no "="`);
    pairs.push([entry.slice(0, at), entry.slice(at + 1)]);
  }
  const problem = envProblem(pairs);
  if (problem) throw badQuery(problem);
  const env = Object.fromEntries(pairs);
  if (Object.keys(env).length < pairs.length) throw badQuery("name each variable once");
  return env;
}

function envProblem(pairs: readonly (readonly [string, string])[]): string | undefined {
  if (pairs.length > MAX_ENV_VARS) return `hold at most ${MAX_ENV_VARS} variables`;
  for (const [name, value] of pairs) {
    if (!ENV_NAME.test(name)) {
      return `name variables with letters, digits and _, not starting with a digit: ${
        JSON.stringify(name.slice(0, 64))
      } is not one`;
    }
    if (name.length + 1 + value.length > MAX_ENV_VAR_CHARS) {
      return `hold variables of at most ${MAX_ENV_VAR_CHARS} characters (NAME=value): ${name} is longer`;
    }
  }
  return undefined;
}

function badQuery(problem: string): RouteError {
  return new RouteError("invalid_request", `The query parameter env must ${problem}.`);
}
