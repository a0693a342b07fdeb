// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { compact } from "../_compact.ts";
import { InvalidConfigError, SandboxAlreadyExistsError } from "../errors.ts";
import type { LogsOptions, LogTarget } from "../logs/log_stream.ts";
import type { SandboxInfo } from "../models/sandbox_info.ts";
import type { SandboxSpec } from "../models/sandbox_spec.ts";
import { encodePathSegment } from "../transport/_path.ts";
import type { HttpRequest, HttpTransport, RetryMode } from "../transport/http_transport.ts";
import { capability } from "../wire/_capability.ts";
import { nonEmpty } from "../wire/_refuse.ts";
import type { StartWait, WireAdapter, WirePage } from "../wire/wire_adapter.ts";
import type { SessionPort } from "../wire/session_port.ts";
import { checkPage } from "./_pages.ts";
import { decoded } from "./_decoded.ts";
import type { ListOptions, RequestOptions, SandboxUpdate } from "./request_options.ts";

const BY_NAME = "/v1/sandboxes/by-name";

/** How a request names its sandbox: a name (every wire), or `{ id }` (the `byId` capability). */
export type SandboxRef = string | { readonly id: string };

/** The route of one sandbox: its operation label's stem and its path. */
interface SandboxRoute {
  operation: string;
  path: string;
}

/**
 * The sandbox operations as plain data in and out: one request each, the operation labels of the
 * SDK, the generation's shapes from its adapter. Waiting and clean-up live in `_lifecycle.ts`.
 */
export class SandboxApi {
  readonly transport: HttpTransport;
  readonly wire: WireAdapter;
  readonly exec: SessionPort;

  constructor(transport: HttpTransport, wire: WireAdapter, exec: SessionPort) {
    this.transport = transport;
    this.wire = wire;
    this.exec = exec;
  }

  /** Builds the create request; the generation's refusals throw here, before anything is sent. */
  createRequest(spec: SandboxSpec, wait: StartWait, signal?: AbortSignal): HttpRequest {
    return {
      operation: "POST /v1/sandboxes",
      method: "POST",
      path: "/v1/sandboxes",
      retry: "create",
      conflict: SandboxAlreadyExistsError,
      ...this.wire.createRequest(spec, wait),
      signal,
    };
  }

  async create(request: HttpRequest): Promise<SandboxInfo> {
    return await this.#sandbox(request);
  }

  async get(
    ref: SandboxRef,
    options: RequestOptions = {},
    retry: RetryMode = "idempotent",
  ): Promise<SandboxInfo> {
    const route = this.#route(ref, "getById");
    return await this.#sandbox({
      operation: `GET ${route.operation}`,
      method: "GET",
      path: route.path,
      retry,
      signal: options.signal,
    });
  }

  /** Renames a sandbox and/or changes its slug (`PATCH /v1/sandboxes/{id}`, current wire). */
  async update(
    id: string,
    change: SandboxUpdate,
    options: RequestOptions = {},
  ): Promise<SandboxInfo> {
    const route = this.#route({ id }, "update");
    if (change.name === undefined && change.slug === undefined) {
      throw new InvalidConfigError("update needs a new name or a new slug");
    }
    return await this.#sandbox({
      operation: `PATCH ${route.operation}`,
      method: "PATCH",
      path: route.path,
      body: compact({ name: change.name, slug: change.slug }),
      retry: "never",
      conflict: SandboxAlreadyExistsError,
      signal: options.signal,
    });
  }

  async list(options: ListOptions = {}): Promise<WirePage> {
    const operation = "GET /v1/sandboxes";
    if (nonEmpty(options.labels)) capability(this.wire, "listByLabels", "list by labels");
    const body = await this.transport.json({
      operation,
      method: "GET",
      path: "/v1/sandboxes",
      query: this.wire.listQuery(options),
      retry: "idempotent",
      signal: options.signal,
    });
    return checkPage(operation, decoded(operation, () => this.wire.decodePage(body)));
  }

  async start(
    ref: SandboxRef,
    waitTimeoutSecs: number,
    signal?: AbortSignal,
  ): Promise<SandboxInfo> {
    const route = this.#route(ref, "startById");
    return await this.#sandbox({
      operation: `POST ${route.operation}/start`,
      method: "POST",
      path: `${route.path}/start`,
      retry: "idempotent",
      ...this.wire.startRequest(waitTimeoutSecs),
      signal,
    });
  }

  async stop(ref: SandboxRef, options: RequestOptions = {}): Promise<SandboxInfo> {
    const route = this.#route(ref, "stopById");
    return await this.#sandbox({
      operation: `POST ${route.operation}/stop`,
      method: "POST",
      path: `${route.path}/stop`,
      body: {},
      retry: "idempotent",
      signal: options.signal,
    });
  }

  async remove(ref: SandboxRef, options: RequestOptions = {}): Promise<void> {
    const route = this.#route(ref, "removeById");
    await this.transport.json({
      operation: `DELETE ${route.operation}`,
      method: "DELETE",
      path: route.path,
      retry: "idempotent",
      signal: options.signal,
    });
  }

  /**
   * Where `sandbox.logs()` reads from; what the generation cannot ask for throws here, before the
   * stream exists.
   */
  logsTarget(sandboxId: string, options: LogsOptions = {}): LogTarget {
    return {
      transport: this.transport,
      path: `/v1/sandboxes/${encodePathSegment(sandboxId, "sandbox id")}/logs`,
      query: this.wire.logsQuery(options),
    };
  }

  /** A name's by-name route, or an id's by-id route where the wire has one (`feature` else). */
  #route(ref: SandboxRef, feature: string): SandboxRoute {
    if (typeof ref === "string") {
      return {
        operation: "/v1/sandboxes/by-name/:name",
        path: `${BY_NAME}/${encodePathSegment(ref)}`,
      };
    }
    capability(this.wire, "byId", feature);
    return {
      operation: "/v1/sandboxes/:id",
      path: `/v1/sandboxes/${encodePathSegment(ref.id, "sandbox id")}`,
    };
  }

  async #sandbox(request: HttpRequest): Promise<SandboxInfo> {
    const body = await this.transport.json(request);
    return decoded(request.operation, () => this.wire.decodeSandbox(body));
  }
}
