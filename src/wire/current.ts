// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The REST wire of msb-cloud API 0.1.0 (SDK 0.6.8 and later): a nested `CloudSandboxSpec` create
// body, `SandboxResponse` with `spec`, `slug` and `last_failure_message`, pages with `has_more`,
// and a server-side wait for `running` on create and start.

import { compact } from "../_compact.ts";
import { currentCreateBody } from "./_current_create_body.ts";
import { NETWORK_RESPONSE, networkFromResponse } from "./_current_network_response.ts";
import { checkSpec } from "./_spec_check.ts";
import type { SandboxInfo } from "../models/sandbox_info.ts";
import type { LogLevel, Rlimit, SandboxSpec } from "../models/sandbox_spec.ts";
import { currentAccount } from "./_current_account.ts";
import { currentUsage } from "./_current_usage.ts";
import { currentVolumes } from "./_current_volumes.ts";
import { currentPage, pageParams } from "./_current_page.ts";
import {
  arrayOf,
  type DecodedBy,
  decodeJson,
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
import { agentSessionPort } from "./current_agent.ts";
import { type LogsQuery, requireFollow, sourcesParam } from "./_logs_query.ts";
import { checkReady, waitingRequestTimeout } from "./_readiness.ts";
import { nonEmpty, type Refusal, refuse, requireBasics } from "./_refuse.ts";
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
  checkSpec(spec);
  const started = wait.start ? startRequest(wait.waitTimeoutSecs) : undefined;
  const query = started ? ["start=true", started.query].filter(Boolean).join("&") : "";
  return { query, body: currentCreateBody(spec), timeout: started?.timeout };
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
  const params = pageParams(query);
  if (nonEmpty(query.labels)) params.set("labels", JSON.stringify(query.labels));
  return params.toString();
}

/** `sources` is always sent, the default three spelled out. */
function logsQuery(query: LogsQuery): string {
  requireFollow(query);
  return sourcesParam(query.sources ?? []);
}

const ENV_VAR = object({ key: required(string), value: required(string) });
const RLIMIT = mapped(
  object({
    resource: required(string),
    soft: withDefault(number, () => 0),
    hard: withDefault(number, () => 0),
  }),
  (r): Rlimit => ({ ...r, resource: r.resource.toLowerCase() as Rlimit["resource"] }),
);

/** A `SandboxSpecResponse`; every part of it may be absent. */
const SPEC_RESPONSE = object({
  image: withDefault(string, () => ""),
  resources: optional(object({
    vcpus: optional(number),
    memoryMib: optional(number),
    diskSizeMib: optional(number),
  })),
  env: optional(arrayOf(ENV_VAR)),
  runtime: optional(object({
    workdir: optional(string),
    shell: optional(string),
    entrypoint: optional(arrayOf(string)),
    cmd: optional(arrayOf(string)),
    user: optional(string),
    logLevel: optional(string),
    scripts: optional(recordOf(string)),
  })),
  labels: optional(recordOf(string)),
  lifecycle: optional(object({
    maxDurationSecs: optional(number),
    idleTimeoutSecs: optional(number),
  })),
  rlimits: optional(arrayOf(RLIMIT)),
  network: optional(NETWORK_RESPONSE),
});

const SANDBOX: JsonCodec<SandboxInfo> = mapped(
  object({
    ...COMMON_SANDBOX_FIELDS,
    slug: required(string),
    statusReason: optional(string),
    lastError: optional(string, "last_failure_message"),
    spec: optional(SPEC_RESPONSE),
  }),
  (body) => ({
    ...body,
    spec: body.spec === undefined
      ? { name: body.name, image: "" }
      : specFromResponse(body.name, body.ephemeral, body.spec),
  }),
);

/** A `SandboxSpecResponse`, read back into a spec. */
function specFromResponse(
  name: string,
  ephemeral: boolean,
  { resources, runtime, lifecycle, network, ...spec }: DecodedBy<typeof SPEC_RESPONSE>,
): SandboxSpec {
  return compact({
    name,
    image: spec.image,
    vcpus: resources?.vcpus,
    memoryMib: resources?.memoryMib,
    diskSizeMib: resources?.diskSizeMib,
    env: spec.env && Object.fromEntries(spec.env.map(({ key, value }) => [key, value])),
    workdir: runtime?.workdir,
    shell: runtime?.shell,
    entrypoint: runtime?.entrypoint,
    cmd: runtime?.cmd,
    user: runtime?.user,
    logLevel: runtime?.logLevel as LogLevel | undefined,
    scripts: runtime?.scripts,
    labels: spec.labels,
    ephemeral,
    maxDurationSecs: lifecycle?.maxDurationSecs,
    idleTimeoutSecs: lifecycle?.idleTimeoutSecs,
    rlimits: spec.rlimits,
    network: network && networkFromResponse(network),
  });
}

const PAGE = currentPage(SANDBOX);

function decodeSandbox(body: unknown): SandboxInfo {
  return decodeJson(SANDBOX, body, "sandbox");
}

function decodePage(body: unknown): WirePage {
  const { items, ...page } = decodeJson(PAGE, body, "page");
  return { sandboxes: items, ...page };
}

/**
 * The wire of msb-cloud API 0.1.0 (`wire: "current"`).
 */
export const currentAdapter: WireAdapter = {
  generation: "current",
  capabilities: {
    byId: true,
    listByLabels: true,
    account: currentAccount,
    usage: currentUsage,
    volumes: currentVolumes,
    files: true,
    tcp: true,
  },
  createRequest,
  startRequest,
  listQuery,
  logsQuery,
  decodeSandbox,
  decodePage,
  checkReady,
  execRoute: agentSessionPort,
};
