// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The REST wire of msb-cloud API 0.1.0 (SDK 0.6.8 and later): a nested `CloudSandboxSpec` create
// body, `SandboxResponse` with `spec`, `slug` and `last_failure_message`, pages with `has_more`,
// and a server-side wait for `running` on create and start.

import { compact } from "../_compact.ts";
import type { SandboxInfo } from "../models/sandbox_info.ts";
import type { LogLevel, RegistryAuth, Rlimit, SandboxSpec } from "../models/sandbox_spec.ts";
import {
  array,
  boolean,
  commonFields,
  type Json,
  object,
  optionalNumber,
  optionalString,
  optionalStringRecord,
  optionalStrings,
  string,
} from "./_decode.ts";
import { agentSessionPort } from "./current_agent.ts";
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

const REFUSALS: readonly Refusal[] = [
  {
    applies: (s) => s.hostname !== undefined,
    feature: "hostname",
    availableWhen: 'with wire: "v0.5"',
  },
];

function createRequest(spec: SandboxSpec, wait: StartWait): WireRequest {
  requireBasics(spec);
  refuse(spec, REFUSALS);
  const started = wait.start ? startRequest(wait.waitTimeoutSecs) : undefined;
  const query = started ? ["start=true", started.query].filter(Boolean).join("&") : "";
  return { query, body: createBody(spec), timeout: started?.timeout };
}

/** The nested `CreateSandboxRequest`, every default spelled out as the SDK sends it. */
function createBody(spec: SandboxSpec): Json {
  return compact({
    name: spec.name,
    image: { type: "oci", reference: spec.image },
    resources: compact({
      vcpus: spec.vcpus ?? 1,
      memory_mib: spec.memoryMib ?? 512,
      disk_size_mib: spec.diskSizeMib,
    }),
    runtime: {
      workdir: spec.workdir ?? null,
      shell: spec.shell ?? null,
      scripts: spec.scripts ?? {},
      entrypoint: spec.entrypoint ?? null,
      cmd: spec.cmd ?? null,
      user: spec.user ?? null,
      log_level: spec.logLevel ?? null,
    },
    env: Object.entries(spec.env ?? {}).map(([key, value]) => ({ key, value })),
    labels: spec.labels ?? {},
    rlimits: spec.rlimits ?? [],
    mounts: [],
    patches: [],
    network: compact({
      enabled: spec.network?.enabled ?? true,
      max_connections: spec.network?.maxConnections,
    }),
    init: null,
    pull_policy: spec.pullPolicy ?? "if_missing",
    security_profile: spec.securityProfile ?? "default",
    lifecycle: {
      ephemeral: spec.ephemeral ?? false,
      max_duration_secs: spec.maxDurationSecs ?? null,
      idle_timeout_secs: spec.idleTimeoutSecs ?? null,
    },
    slug: spec.slug,
    registry: spec.registry && registryBody(spec.registry),
  });
}

function registryBody(registry: RegistryAuth): Json {
  return registry.mode === "specific"
    ? { mode: "specific", credential_id: registry.credentialId }
    : { ...registry };
}

function startRequest(waitTimeoutSecs: number): WireRequest {
  if (waitTimeoutSecs <= 0) return { query: "", body: {} };
  return {
    query: `wait_for=running&wait_timeout=${Math.ceil(waitTimeoutSecs)}`,
    body: {},
    timeout: waitingRequestTimeout(waitTimeoutSecs),
  };
}

function listQuery(query: WireListQuery): string {
  checkLimit(query.limit);
  const params = new URLSearchParams();
  if (query.cursor !== undefined) params.set("cursor", query.cursor);
  params.set("limit", String(query.limit ?? 20));
  if (nonEmpty(query.labels)) params.set("labels", JSON.stringify(query.labels));
  return params.toString();
}

/** `sources` is always sent, the default three spelled out. */
function logsQuery(query: LogsQuery): string {
  requireFollow(query);
  return sourcesParam(query.sources ?? []);
}

function decodeSandbox(body: unknown): SandboxInfo {
  const json = object(body, "sandbox");
  const common = commonFields(json);
  const spec = json.spec === undefined || json.spec === null
    ? { name: common.name, image: "" }
    : specFromResponse(common.name, common.ephemeral, object(json.spec, "`spec`"));
  return {
    ...common,
    slug: string(json, "slug"),
    statusReason: optionalString(json, "status_reason"),
    lastError: optionalString(json, "last_failure_message"),
    spec,
  };
}

/** A `SandboxSpecResponse`, read back into a spec. */
function specFromResponse(name: string, ephemeral: boolean, spec: Json): SandboxSpec {
  const resources = object(spec.resources ?? {}, "`spec.resources`");
  const runtime = object(spec.runtime ?? {}, "`spec.runtime`");
  const lifecycle = object(spec.lifecycle ?? {}, "`spec.lifecycle`");
  const network = object(spec.network ?? {}, "`spec.network`");
  return compact({
    name,
    image: optionalString(spec, "image") ?? "",
    vcpus: optionalNumber(resources, "vcpus"),
    memoryMib: optionalNumber(resources, "memory_mib"),
    diskSizeMib: optionalNumber(resources, "disk_size_mib"),
    env: envRecord(spec.env),
    workdir: optionalString(runtime, "workdir"),
    shell: optionalString(runtime, "shell"),
    entrypoint: optionalStrings(runtime, "entrypoint"),
    cmd: optionalStrings(runtime, "cmd"),
    user: optionalString(runtime, "user"),
    logLevel: optionalString(runtime, "log_level") as LogLevel | undefined,
    scripts: optionalStringRecord(runtime, "scripts"),
    labels: optionalStringRecord(spec, "labels"),
    ephemeral,
    maxDurationSecs: optionalNumber(lifecycle, "max_duration_secs"),
    idleTimeoutSecs: optionalNumber(lifecycle, "idle_timeout_secs"),
    rlimits: spec.rlimits === undefined
      ? undefined
      : array(spec.rlimits, "`spec.rlimits`").map(rlimit),
    network: typeof network.enabled === "boolean"
      ? compact({
        enabled: network.enabled,
        maxConnections: optionalNumber(network, "max_connections"),
      })
      : undefined,
  });
}

function envRecord(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  const entries = array(value, "`spec.env`").map((item) => object(item, "`spec.env` item"));
  return Object.fromEntries(entries.map((entry) => [string(entry, "key"), string(entry, "value")]));
}

function rlimit(value: unknown): Rlimit {
  const json = object(value, "`spec.rlimits` item");
  return {
    resource: string(json, "resource").toLowerCase() as Rlimit["resource"],
    soft: optionalNumber(json, "soft") ?? 0,
    hard: optionalNumber(json, "hard") ?? 0,
  };
}

function decodePage(body: unknown): WirePage {
  const json = object(body, "page");
  return {
    sandboxes: array(json.data, "`data`").map(decodeSandbox),
    nextCursor: optionalString(json, "next_cursor"),
    hasMore: boolean(json, "has_more"),
  };
}

/**
 * The wire of msb-cloud API 0.1.0 (`wire: "current"`).
 */
export const currentAdapter: WireAdapter = {
  generation: "current",
  hasByIdRoutes: true,
  createRequest,
  startRequest,
  listQuery,
  logsQuery,
  decodeSandbox,
  decodePage,
  checkReady,
  execRoute: agentSessionPort,
};
