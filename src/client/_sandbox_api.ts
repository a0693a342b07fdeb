// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { SandboxAlreadyExistsError } from "../errors.ts";
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
import type { ListOptions, RequestOptions } from "./request_options.ts";

const BY_NAME = "/v1/sandboxes/by-name";

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
    name: string,
    options: RequestOptions = {},
    retry: RetryMode = "idempotent",
  ): Promise<SandboxInfo> {
    return await this.#sandbox({
      operation: "GET /v1/sandboxes/by-name/:name",
      method: "GET",
      path: `${BY_NAME}/${encodePathSegment(name)}`,
      retry,
      signal: options.signal,
    });
  }

  async getById(id: string, options: RequestOptions = {}): Promise<SandboxInfo> {
    capability(this.wire, "byId", "getById");
    return await this.#sandbox({
      operation: "GET /v1/sandboxes/:id",
      method: "GET",
      path: `/v1/sandboxes/${encodePathSegment(id, "sandbox id")}`,
      retry: "idempotent",
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

  async start(name: string, waitTimeoutSecs: number, signal?: AbortSignal): Promise<SandboxInfo> {
    return await this.#sandbox({
      operation: "POST /v1/sandboxes/by-name/:name/start",
      method: "POST",
      path: `${BY_NAME}/${encodePathSegment(name)}/start`,
      retry: "idempotent",
      ...this.wire.startRequest(waitTimeoutSecs),
      signal,
    });
  }

  async stop(name: string, options: RequestOptions = {}): Promise<SandboxInfo> {
    return await this.#sandbox({
      operation: "POST /v1/sandboxes/by-name/:name/stop",
      method: "POST",
      path: `${BY_NAME}/${encodePathSegment(name)}/stop`,
      body: {},
      retry: "idempotent",
      signal: options.signal,
    });
  }

  async remove(name: string, options: RequestOptions = {}): Promise<void> {
    await this.transport.json({
      operation: "DELETE /v1/sandboxes/by-name/:name",
      method: "DELETE",
      path: `${BY_NAME}/${encodePathSegment(name)}`,
      retry: "idempotent",
      signal: options.signal,
    });
  }

  async stopById(id: string, options: RequestOptions = {}): Promise<SandboxInfo> {
    capability(this.wire, "byId", "stop by id");
    return await this.#sandbox({
      operation: "POST /v1/sandboxes/:id/stop",
      method: "POST",
      path: `/v1/sandboxes/${encodePathSegment(id, "sandbox id")}/stop`,
      body: {},
      retry: "idempotent",
      signal: options.signal,
    });
  }

  async removeById(id: string, options: RequestOptions = {}): Promise<void> {
    capability(this.wire, "byId", "remove by id");
    await this.transport.json({
      operation: "DELETE /v1/sandboxes/:id",
      method: "DELETE",
      path: `/v1/sandboxes/${encodePathSegment(id, "sandbox id")}`,
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

  async #sandbox(request: HttpRequest): Promise<SandboxInfo> {
    const body = await this.transport.json(request);
    return decoded(request.operation, () => this.wire.decodeSandbox(body));
  }
}
