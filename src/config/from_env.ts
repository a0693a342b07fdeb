// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { InvalidConfigError } from "../errors.ts";
import { type EnvReader, recordEnv, runtimeEnv } from "./_host.ts";
import { DEFAULT_URL } from "./client_options.ts";

/** The endpoint and key that the environment names. */
export interface EnvCredentials {
  url: string;
  apiKey: string;
}

/** The variables whose presence makes a record an environment to read. */
const NAMES = ["MSB_API_KEY", "MSB_API_URL"] as const;

/**
 * Reads `MSB_API_URL` (optional, the default URL when missing or blank) and `MSB_API_KEY`
 * (required, trimmed) from `env` when it names either (a Workers `env`, a plain record), else from
 * the runtime's environment. A fetch handler's second argument is an environment only on Workers:
 * Deno's `ServeHandlerInfo`, Bun's `Server` and Node's `{ incoming, outgoing }` name neither
 * variable, so `fromEnv(env)` in `fetch(request, env)` reads the runtime's variables there.
 */
export function credentialsFromEnv(env?: Readonly<Record<string, unknown>>): EnvCredentials {
  const read = namesCredentials(env) ? recordEnv(env) : runtimeEnv();
  const apiKey = trimmed(read, "MSB_API_KEY");
  if (apiKey === undefined) {
    throw new InvalidConfigError("MSB_API_KEY not set — required for cloud backend");
  }
  return { url: trimmed(read, "MSB_API_URL") ?? DEFAULT_URL, apiKey };
}

/** The trimmed value of a variable, or `undefined` when it is unset or blank. */
export function trimmed(read: EnvReader, name: string): string | undefined {
  const value = read(name)?.trim();
  return value ? value : undefined;
}

/** Whether `env` is a record that holds `MSB_API_KEY` or `MSB_API_URL`, whatever their values. */
function namesCredentials(
  env: Readonly<Record<string, unknown>> | undefined,
): env is Readonly<Record<string, unknown>> {
  if ((typeof env !== "object" && typeof env !== "function") || env === null) return false;
  return NAMES.some((name) => name in env);
}
