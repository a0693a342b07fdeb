// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { InvalidConfigError, UnsupportedError } from "../errors.ts";
import { type EnvReader, readTextFile, recordEnv, runtimeEnv } from "./_host.ts";
import { DEFAULT_URL } from "./client_options.ts";
import { type EnvCredentials, trimmed } from "./from_env.ts";

/** The endpoint and key that a profile names. */
export interface ProfileCredentials extends EnvCredentials {
  /** The profile they come from. */
  profile: string;
}

interface Profile {
  backend?: unknown;
  url?: unknown;
  api_key_ref?: unknown;
}

interface SdkConfig {
  active_profile?: unknown;
  profiles?: Record<string, Profile>;
}

/**
 * Resolves a cloud profile of `~/.microsandbox/config.json` the way the SDK does: the file is
 * `MSB_CONFIG_PATH`, else `config.json` in `MSB_HOME` (default `~/.microsandbox`); the profile is
 * `name`, else `MSB_PROFILE`, else `active_profile`; its key comes from `api_key_ref`.
 */
export function credentialsFromProfile(
  name?: string,
  env?: Readonly<Record<string, unknown>>,
): ProfileCredentials {
  const read = env ? recordEnv(env) : runtimeEnv();
  const path = configPath(read);
  const config = parseConfig(path, readTextFile(path));
  const explicit = name?.trim();
  const chosen = explicit || trimmed(read, "MSB_PROFILE") ||
    stringOr(config.active_profile)?.trim();
  if (!chosen) {
    throw new InvalidConfigError(
      `no profile selected: pass a name, set MSB_PROFILE or set active_profile in ${path}`,
    );
  }
  const profile = Object.hasOwn(config.profiles ?? {}, chosen)
    ? config.profiles?.[chosen]
    : undefined;
  if (!profile) {
    const which = explicit ? "profile" : "active profile";
    throw new InvalidConfigError(`${which} "${chosen}" not found in SDK config`);
  }
  return cloudProfile(chosen, profile, read);
}

function configPath(read: EnvReader): string {
  const explicit = trimmed(read, "MSB_CONFIG_PATH");
  if (explicit) return explicit;
  const home = trimmed(read, "MSB_HOME") ?? homeDir(read);
  return `${home.replace(/[\\/]+$/, "")}/config.json`;
}

function homeDir(read: EnvReader): string {
  const home = trimmed(read, "HOME") ?? trimmed(read, "USERPROFILE");
  if (!home) {
    throw new InvalidConfigError("cannot locate the SDK config: set MSB_HOME or MSB_CONFIG_PATH");
  }
  return `${home.replace(/[\\/]+$/, "")}/.microsandbox`;
}

function parseConfig(path: string, text: string | undefined): SdkConfig {
  if (text === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidConfigError(`failed to parse SDK config at ${path}: ${String(error)}`, {
      cause: error,
    });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new InvalidConfigError(`failed to parse SDK config at ${path}: not a JSON object`);
  }
  const profiles = (json as SdkConfig).profiles;
  if (profiles !== undefined && (typeof profiles !== "object" || profiles === null)) {
    throw new InvalidConfigError(
      `failed to parse SDK config at ${path}: profiles is not an object`,
    );
  }
  return json as SdkConfig;
}

function cloudProfile(name: string, profile: Profile, read: EnvReader): ProfileCredentials {
  if (profile.backend === "local") {
    throw new InvalidConfigError(`profile "${name}" is not a cloud profile`);
  }
  if (profile.backend !== "cloud") {
    throw new InvalidConfigError(`profile "${name}" backend must be "local" or "cloud"`);
  }
  const url = stringOr(profile.url)?.trim() || DEFAULT_URL;
  return { profile: name, url, apiKey: resolveKeyRef(name, profile.api_key_ref, read) };
}

function resolveKeyRef(name: string, ref: unknown, read: EnvReader): string {
  if (typeof ref !== "string") {
    throw new InvalidConfigError(`profile "${name}" backend=cloud requires an 'api_key_ref' field`);
  }
  const colon = ref.indexOf(":");
  const scheme = colon < 0 ? "" : ref.slice(0, colon);
  const rest = ref.slice(colon + 1);
  switch (scheme) {
    case "env": {
      const key = trimmed(read, rest.trim());
      if (key) return key;
      throw new InvalidConfigError(
        `profile "${name}" api_key_ref env:${rest.trim()} names an unset or empty variable`,
      );
    }
    case "inline": {
      const key = rest.trim();
      if (key) return key;
      throw new InvalidConfigError(`profile "${name}" api_key_ref inline: holds an empty key`);
    }
    case "keyring":
      return keyring(name, rest);
    default:
      throw new InvalidConfigError(
        `profile "${name}" api_key_ref must start with env:, inline: or keyring:`,
      );
  }
}

function keyring(name: string, rest: string): never {
  const [service, account, ...extra] = rest.split(":");
  if (!service?.trim() || !account?.trim() || extra.length > 0) {
    throw new InvalidConfigError(
      `profile "${name}" api_key_ref keyring: must read keyring:<service>:<name>`,
    );
  }
  throw new UnsupportedError({
    feature: `profile "${name}" api_key_ref keyring:`,
    availableWhen: "when keyring resolution is wired; use env:VAR or inline:KEY meanwhile",
  });
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
