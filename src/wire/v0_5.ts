// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The REST wire of the microsandbox 0.5.8 SDK: a flat create body with `env` as an object,
// `CloudSandbox` responses with `config` and `last_error`, pages of `{data, next_cursor}`.

import { compact } from "../_compact.ts";
import { UnsupportedError } from "../errors.ts";
import type { LogLevel, SandboxSpec } from "../models/sandbox_spec.ts";
import type { SandboxInfo } from "../models/sandbox_info.ts";
import { encodePathSegment } from "../transport/_path.ts";
import {
  array,
  commonFields,
  DecodeFailure,
  type Json,
  object,
  optionalNumber,
  optionalString,
  optionalStringRecord,
  optionalStrings,
} from "./_decode.ts";
import { seedSessionPort } from "./v0_5_exec.ts";
import { type LogsQuery, requireFollow, sourcesParam } from "./_logs_query.ts";
import { checkReady, waitingRequestTimeout } from "./_readiness.ts";
import { checkLimit, nonEmpty, type Refusal, refuse, requireBasics } from "./_refuse.ts";
import type {
  StartWait,
  WireAdapter,
  WireListQuery,
  WirePage,
  WireRequest,
} from "./wire_adapter.ts";

const CURRENT_ONLY = 'with wire: "current"';

// The seed's own refusals first, in its order, then the fields its body has no place for.
const REFUSALS: readonly Refusal[] = [
  {
    applies: (s) => nonEmpty(s.rlimits),
    feature: "rlimits",
    availableWhen: "when rlimits land on the cloud API",
  },
  {
    applies: (s) => s.cmd !== undefined,
    feature: "cmd",
    availableWhen: "when cmd lands on the cloud API",
  },
  {
    applies: (s) => s.pullPolicy !== undefined && s.pullPolicy !== "if_missing",
    feature: "pull_policy",
    availableWhen: "when cloud pull policy lands",
  },
  {
    applies: (s) => s.registry !== undefined,
    feature: "registry_auth",
    availableWhen: "when cloud registry auth lands",
  },
  {
    applies: (s) => s.network !== undefined,
    feature: "network policy / ports / secrets",
    availableWhen: "when cloud networking ships",
  },
  { applies: (s) => nonEmpty(s.labels), feature: "labels", availableWhen: CURRENT_ONLY },
  { applies: (s) => s.slug !== undefined, feature: "slug", availableWhen: CURRENT_ONLY },
  {
    applies: (s) => s.diskSizeMib !== undefined,
    feature: "diskSizeMib",
    availableWhen: CURRENT_ONLY,
  },
  {
    applies: (s) => s.securityProfile !== undefined && s.securityProfile !== "default",
    feature: "security_profile",
    availableWhen: CURRENT_ONLY,
  },
];

/** With `start=true` the seed cloud answers once the sandbox runs, so the request may take long. */
function createRequest(spec: SandboxSpec, wait: StartWait): WireRequest {
  requireBasics(spec);
  refuse(spec, REFUSALS);
  if (!wait.start) return { query: "", body: createBody(spec) };
  const timeout = wait.waitTimeoutSecs > 0
    ? waitingRequestTimeout(wait.waitTimeoutSecs)
    : undefined;
  return { query: "start=true", body: createBody(spec), timeout };
}

/** The flat `CloudCreateSandboxRequest`, fields in the seed's order. */
function createBody(spec: SandboxSpec): Json {
  return compact({
    name: spec.name,
    image: spec.image,
    vcpus: spec.vcpus ?? 1,
    memory_mib: spec.memoryMib ?? 512,
    env: spec.env ?? {},
    ephemeral: spec.ephemeral ?? false,
    workdir: spec.workdir,
    shell: spec.shell,
    entrypoint: spec.entrypoint,
    hostname: spec.hostname,
    user: spec.user,
    log_level: spec.logLevel,
    scripts: nonEmpty(spec.scripts) ? spec.scripts : undefined,
    max_duration_secs: spec.maxDurationSecs,
    idle_timeout_secs: spec.idleTimeoutSecs,
  });
}

function listQuery(query: WireListQuery): string {
  if (nonEmpty(query.labels)) {
    throw new UnsupportedError({ feature: "list by labels", availableWhen: CURRENT_ONLY });
  }
  checkLimit(query.limit);
  const parts: string[] = [];
  if (query.cursor !== undefined) parts.push(`cursor=${encodePathSegment(query.cursor, "cursor")}`);
  if (query.limit !== undefined) parts.push(`limit=${query.limit}`);
  return parts.join("&");
}

/** `sources` only when asked for; the seed cloud knows no `output` source. */
function logsQuery(query: LogsQuery): string {
  requireFollow(query);
  const requested = query.sources ?? [];
  if (requested.includes("output")) {
    throw new UnsupportedError({
      feature: "cloud log source 'output'",
      availableWhen: "when msb-cloud accepts the output log source",
    });
  }
  return requested.length === 0 ? "" : sourcesParam(requested);
}

function decodeSandbox(body: unknown): SandboxInfo {
  const json = object(body, "sandbox");
  const common = commonFields(json);
  if (json.config === undefined) throw new DecodeFailure("missing field `config`");
  return {
    ...common,
    slug: undefined,
    statusReason: undefined,
    lastError: optionalString(json, "last_error"),
    spec: specFromConfig(common.name, object(json.config, "`config`")),
  };
}

/** The `config` of a `CloudSandbox`, read back into a spec (every field is optional there). */
function specFromConfig(name: string, config: Json): SandboxSpec {
  return compact({
    name,
    image: optionalString(config, "image") ?? "",
    vcpus: optionalNumber(config, "vcpus") ?? 1,
    memoryMib: optionalNumber(config, "memory_mib") ?? 512,
    env: optionalStringRecord(config, "env") ?? {},
    ephemeral: typeof config.ephemeral === "boolean" ? config.ephemeral : true,
    workdir: optionalString(config, "workdir"),
    shell: optionalString(config, "shell"),
    entrypoint: optionalStrings(config, "entrypoint"),
    hostname: optionalString(config, "hostname"),
    user: optionalString(config, "user"),
    logLevel: optionalString(config, "log_level") as LogLevel | undefined,
    scripts: optionalStringRecord(config, "scripts"),
    maxDurationSecs: optionalNumber(config, "max_duration_secs"),
    idleTimeoutSecs: optionalNumber(config, "idle_timeout_secs"),
  });
}

function decodePage(body: unknown): WirePage {
  const json = object(body, "page");
  const nextCursor = optionalString(json, "next_cursor");
  return {
    sandboxes: array(json.data, "`data`").map(decodeSandbox),
    nextCursor,
    hasMore: nextCursor !== undefined,
  };
}

/**
 * The wire of the microsandbox 0.5.8 SDK (`wire: "v0.5"`).
 */
export const v05Adapter: WireAdapter = {
  generation: "v0.5",
  hasByIdRoutes: false,
  createRequest,
  startRequest: () => ({ query: "", body: {} }),
  listQuery,
  logsQuery,
  decodeSandbox,
  decodePage,
  checkReady,
  execRoute: seedSessionPort,
};
