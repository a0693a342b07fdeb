// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { WireGeneration } from "../config/client_options.ts";
import type { SandboxInfo } from "../models/sandbox_info.ts";
import type { SandboxSpec } from "../models/sandbox_spec.ts";
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

/** What a listing asks for. */
export interface WireListQuery {
  cursor?: string | undefined;
  limit?: number | undefined;
  labels?: Record<string, string> | undefined;
}

/**
 * One wire generation's REST shapes. The client above it is the same for every generation; each
 * adapter maps the domain model to its own bodies and queries and back, and refuses what its
 * generation cannot express before any request is made.
 */
export interface WireAdapter {
  readonly generation: WireGeneration;
  /** Whether `GET /v1/sandboxes/{id}` exists. */
  readonly hasByIdRoutes: boolean;
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
