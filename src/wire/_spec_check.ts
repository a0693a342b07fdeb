// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// What the cloud would reject in a spec, refused before any request with an `InvalidConfigError`
// that names the field: numbers out of range, unknown enum values, malformed network rules and
// secrets, mounts and patches off absolute paths. Both generations check what they can express;
// the fields one cannot express are refused before this, by its refusal table.

import {
  type RegistryAuth,
  type Rlimit,
  RLIMIT_RESOURCES,
  type SandboxSpec,
} from "../models/sandbox_spec.ts";
import { checkNetwork } from "./_network_check.ts";
import {
  each,
  integerIn,
  invalid,
  oneOf,
  record,
  string,
  stringRecord,
  strings,
  text,
  U32_MAX,
} from "./_spec_rule.ts";
import { checkInit, checkMounts, checkPatches } from "./_storage_check.ts";

const LOG_LEVELS = ["error", "warn", "info", "debug", "trace"];
const SECONDS_MAX = Number.MAX_SAFE_INTEGER;

/** Throws an `InvalidConfigError` naming the first field of `spec` the cloud would reject. */
export function checkSpec(spec: SandboxSpec): void {
  integerIn("vcpus", spec.vcpus, 1, 255);
  integerIn("memoryMib", spec.memoryMib, 1, U32_MAX);
  integerIn("diskSizeMib", spec.diskSizeMib, 1, U32_MAX);
  checkEnv(spec.env);
  for (const key of ["workdir", "shell", "user", "hostname", "slug"] as const) {
    string(key, spec[key]);
  }
  strings("entrypoint", spec.entrypoint);
  strings("cmd", spec.cmd);
  oneOf("logLevel", spec.logLevel, LOG_LEVELS);
  stringRecord("scripts", spec.scripts);
  stringRecord("labels", spec.labels);
  integerIn("maxDurationSecs", spec.maxDurationSecs, 0, SECONDS_MAX);
  integerIn("idleTimeoutSecs", spec.idleTimeoutSecs, 0, SECONDS_MAX);
  each("rlimits", spec.rlimits, checkRlimit);
  oneOf("pullPolicy", spec.pullPolicy, ["if_missing", "always", "never"]);
  oneOf("securityProfile", spec.securityProfile, ["default", "restricted"]);
  checkRegistry(spec.registry);
  checkNetwork(spec.network);
  checkMounts(spec.mounts);
  checkPatches(spec.patches);
  checkInit(spec.init);
}

/** Variables travel as `KEY=value`: a key is non-empty and has no `=` or NUL. */
function checkEnv(env: Record<string, string> | undefined): void {
  stringRecord("env", env);
  const bad = Object.keys(env ?? {}).find((key) => key === "" || /[=\0]/.test(key));
  if (bad !== undefined) invalid("env", "keys without = or NUL, not empty", bad);
}

function checkRegistry(registry: RegistryAuth | undefined): void {
  if (registry === undefined) return;
  record("registry", registry);
  oneOf("registry.mode", registry.mode ?? "", ["auto", "anonymous", "inline", "specific"]);
  if (registry.mode === "specific") text("registry.credentialId", registry.credentialId);
  if (registry.mode !== "inline") return;
  text("registry.username", registry.username);
  // A password is a secret: never shown in the message.
  if (typeof registry.password !== "string" || registry.password === "") {
    invalid("registry.password", "a non-empty string");
  }
}

function checkRlimit(rlimit: Rlimit, path: string): void {
  oneOf(`${path}.resource`, rlimit.resource ?? "", RLIMIT_RESOURCES);
  if (rlimit.soft === undefined || rlimit.hard === undefined) {
    invalid(path, "{ resource, soft, hard }", rlimit);
  }
  integerIn(`${path}.soft`, rlimit.soft, 0, Number.MAX_SAFE_INTEGER);
  integerIn(`${path}.hard`, rlimit.hard, rlimit.soft, Number.MAX_SAFE_INTEGER);
}
