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

/**
 * Reads `MSB_API_URL` (optional, the default URL when missing or blank) and `MSB_API_KEY`
 * (required, trimmed) from `env`, or from the runtime's environment when `env` is not given.
 */
export function credentialsFromEnv(env?: Readonly<Record<string, unknown>>): EnvCredentials {
  const read = env ? recordEnv(env) : runtimeEnv();
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
