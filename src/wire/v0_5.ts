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
  arrayOf,
  boolean,
  decodeJson,
  type Json,
  type JsonCodec,
  mapped,
  number,
  object,
  optional,
  recordOf,
  required,
  string,
  withDefault,
} from "./_json_codec.ts";
import { COMMON_SANDBOX_FIELDS } from "./_sandbox_fields.ts";
import { checkSpec } from "./_spec_check.ts";
import { seedSessionPort } from "./v0_5_exec.ts";
import { type LogsQuery, requireFollow, sourcesParam } from "./_logs_query.ts";
import { checkReady, waitingRequestTimeout } from "./_readiness.ts";
import {
  checkLimit,
  CURRENT_ONLY,
  nonEmpty,
  type Refusal,
  refuse,
  requireBasics,
} from "./_refuse.ts";
import type {
  StartWait,
  WireAdapter,
  WireListQuery,
  WirePage,
  WireRequest,
} from "./wire_adapter.ts";

// The seed's own refusals first, in its order, then the fields its body has no place for.
const REFUSALS: readonly Refusal[] = [
  {
    applies: (s) => nonEmpty(s.mounts),
    feature: "mounts",
    availableWhen: "when cloud volumes ship",
  },
  {
    applies: (s) => nonEmpty(s.patches),
    feature: "patches",
    availableWhen: "when cloud volumes ship",
  },
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
    applies: (s) => s.init !== undefined,
    feature: "init",
    availableWhen: "when cloud init wrapper lands",
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
  checkSpec(spec);
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

/** Labels are refused before this, as a capability the generation lacks. */
function listQuery(query: WireListQuery): string {
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

/** The `config` of a `CloudSandbox`: a `CloudCreateSandboxRequest` whose every field is optional. */
const CONFIG = object({
  image: withDefault(string, () => ""),
  vcpus: withDefault(number, () => 1),
  memoryMib: withDefault(number, () => 512),
  env: withDefault(recordOf(string), () => ({})),
  ephemeral: withDefault(boolean, () => true),
  workdir: optional(string),
  shell: optional(string),
  entrypoint: optional(arrayOf(string)),
  hostname: optional(string),
  user: optional(string),
  logLevel: optional(string),
  scripts: optional(recordOf(string)),
  maxDurationSecs: optional(number),
  idleTimeoutSecs: optional(number),
});

const SANDBOX: JsonCodec<SandboxInfo> = mapped(
  object({
    ...COMMON_SANDBOX_FIELDS,
    lastError: optional(string),
    config: required(CONFIG),
  }),
  ({ config, ...body }) => ({
    ...body,
    slug: undefined,
    statusReason: undefined,
    // The config, read back into a spec.
    spec: compact({
      ...config,
      name: body.name,
      logLevel: config.logLevel as LogLevel | undefined,
    }),
  }),
);

const PAGE = mapped(
  object({ sandboxes: required(arrayOf(SANDBOX), "data"), nextCursor: optional(string) }),
  (page): WirePage => ({ ...page, hasMore: page.nextCursor !== undefined }),
);

function decodeSandbox(body: unknown): SandboxInfo {
  return decodeJson(SANDBOX, body, "sandbox");
}

function decodePage(body: unknown): WirePage {
  return decodeJson(PAGE, body, "page");
}

/**
 * The wire of the microsandbox 0.5.8 SDK (`wire: "v0.5"`).
 */
export const v05Adapter: WireAdapter = {
  generation: "v0.5",
  capabilities: {},
  createRequest,
  startRequest: () => ({ query: "", body: {} }),
  listQuery,
  logsQuery,
  decodeSandbox,
  decodePage,
  checkReady,
  execRoute: seedSessionPort,
};
