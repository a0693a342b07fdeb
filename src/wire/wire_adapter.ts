// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { WireGeneration } from "../config/client_options.ts";
import type { AuditEvent } from "../models/event.ts";
import type { Member } from "../models/member.ts";
import type { Org } from "../models/org.ts";
import type {
  QuotaUsage,
  StorageBreakdown,
  UsageBreakdown,
  UsageSummary,
} from "../models/usage.ts";
import type { SandboxInfo } from "../models/sandbox_info.ts";
import type { SandboxSpec } from "../models/sandbox_spec.ts";
import type { VolumeFileInfo, VolumeInfo, VolumeSpec, VolumeUpdate } from "../models/volume.ts";
import type { LogsQuery } from "./_logs_query.ts";
import type { SocketContext } from "./_socket_context.ts";
import type { SessionPort } from "./session_port.ts";

/** How a create or start should wait for the sandbox to run. */
export interface StartWait {
  /** Whether the sandbox starts at all (create only). */
  start: boolean;
  /** Seconds the server may wait for `running`; 0 to not wait. */
  waitTimeoutSecs: number;
}

/** The query and body of one request, and its own timeout when it needs a longer one. */
export interface WireRequest {
  query: string;
  body?: unknown;
  timeout?: number | undefined;
}

/** One page of a listing. */
export interface WirePage {
  sandboxes: SandboxInfo[];
  nextCursor: string | undefined;
  hasMore: boolean;
}

/** Which page of a listing, and how long. */
export interface WirePageQuery {
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** What a listing of sandboxes asks for. */
export interface WireListQuery extends WirePageQuery {
  labels?: Record<string, string> | undefined;
}

/** One page of members. */
export interface WireMemberPage {
  members: Member[];
  nextCursor: string | undefined;
  hasMore: boolean;
}

/** What a listing of audit events asks for. */
export interface WireEventQuery extends WirePageQuery {
  eventType?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

/** One page of audit events. */
export interface WireEventPage {
  events: AuditEvent[];
  nextCursor: string | undefined;
  hasMore: boolean;
}

/**
 * The shapes of the organisation, its members and its audit events (`GET /v1/me/org`,
 * `GET /v1/members`, `GET /v1/events{,/{event_id}}`).
 */
export interface AccountWire {
  decodeOrg(body: unknown): Org;
  membersQuery(query: WirePageQuery): string;
  decodeMembersPage(body: unknown): WireMemberPage;
  /** The query of the listing; an ill-formed filter throws here. */
  eventsQuery(query: WireEventQuery): string;
  decodeEventsPage(body: unknown): WireEventPage;
  decodeEvent(body: unknown): AuditEvent;
}

/** The shapes of the quotas and the usage (`GET /v1/quotas`, `GET /v1/billing/usage*`). */
export interface UsageWire {
  decodeQuotas(body: unknown): QuotaUsage;
  decodeSummary(body: unknown): UsageSummary;
  decodeBreakdown(body: unknown): UsageBreakdown;
  decodeStorage(body: unknown): StorageBreakdown;
}

/** The shapes of volumes and of their file routes (`/v1/volumes`, `/v1/volumes/{id}/files*`). */
export interface VolumesWire {
  /** The create body; what the cloud would refuse throws here. */
  createBody(spec: VolumeSpec): unknown;
  /** The update body; what the cloud would refuse throws here. */
  updateBody(change: VolumeUpdate): unknown;
  decodeVolume(body: unknown): VolumeInfo;
  decodeVolumes(body: unknown): VolumeInfo[];
  decodeEntries(body: unknown): VolumeFileInfo[];
  decodeStat(body: unknown): VolumeFileInfo;
  decodeExists(body: unknown): boolean;
}

/**
 * What only some generations can do. An adapter lists those it has; a caller gets one through
 * `capability()` (`_capability.ts`), which refuses a missing one with the seed's `Unsupported`
 * error. A capability without shapes of its own is `true`.
 */
export interface Capabilities {
  /** The by-id routes, such as `GET /v1/sandboxes/{id}`. */
  byId: true;
  /** The `labels` filter of `GET /v1/sandboxes`. */
  listByLabels: true;
  /** The organisation and its members. */
  account: AccountWire;
  /** The quotas and the usage. */
  usage: UsageWire;
  /** Volumes and their files. */
  volumes: VolumesWire;
  /** The guest filesystem over the agent socket (`core.fs.*`); its port's `link` carries it. */
  files: true;
  /** TCP connections into the sandbox over the agent socket (`core.tcp.*`), on a socket each. */
  tcp: true;
}

/**
 * One wire generation's REST shapes. The client above it is the same for every generation; each
 * adapter maps the domain model to its own bodies and queries and back, and refuses what its
 * generation cannot express before any request is made.
 */
export interface WireAdapter {
  readonly generation: WireGeneration;
  /** What this generation can do beyond what every generation shares. */
  readonly capabilities: Partial<Capabilities>;
  /** The create request; where the generation can, it asks the server to wait for `running`. */
  createRequest(spec: SandboxSpec, wait: StartWait): WireRequest;
  /** The start request; where the generation can, it asks the server to wait for `running`. */
  startRequest(waitTimeoutSecs: number): WireRequest;
  listQuery(query: WireListQuery): string;
  /** The query of the log stream; what the generation cannot ask for throws here. */
  logsQuery(query: LogsQuery): string;
  decodeSandbox(body: unknown): SandboxInfo;
  decodePage(body: unknown): WirePage;
  /** Throws when a start that waited did not end in `running`, in the SDK's words. */
  checkReady(info: SandboxInfo, waited: boolean): void;
  /** The generation's session port, opened through the client's sockets. */
  execRoute(sockets: SocketContext, connectTimeout: number): SessionPort;
}
