// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { EventNotFoundError } from "../errors.ts";
import type { AuditEvent } from "../models/event.ts";
import type { Org } from "../models/org.ts";
import { encodePathSegment } from "../transport/_path.ts";
import type { HttpTransport } from "../transport/http_transport.ts";
import { capability } from "../wire/_capability.ts";
import type {
  AccountWire,
  UsageWire,
  WireAdapter,
  WireEventPage,
  WireEventQuery,
  WireMemberPage,
} from "../wire/wire_adapter.ts";
import { decoded } from "./_decoded.ts";
import { checkPage } from "./_pages.ts";
import type { PageOptions, RequestOptions } from "./request_options.ts";

/**
 * The account reads as plain data in and out: one request each, the shapes from the
 * generation's `account` capability (a generation without one refuses before any request).
 */
export class AccountApi {
  readonly #transport: HttpTransport;
  readonly #wire: WireAdapter;

  constructor(transport: HttpTransport, wire: WireAdapter) {
    this.#transport = transport;
    this.#wire = wire;
  }

  async org(options: RequestOptions = {}): Promise<Org> {
    const account = this.#account("account.org");
    const operation = "GET /v1/me/org";
    const body = await this.#transport.json({
      operation,
      method: "GET",
      path: "/v1/me/org",
      retry: "idempotent",
      signal: options.signal,
    });
    return decoded(operation, () => account.decodeOrg(body));
  }

  async members(options: PageOptions = {}): Promise<WireMemberPage> {
    const account = this.#account("account.members");
    const operation = "GET /v1/members";
    const body = await this.#transport.json({
      operation,
      method: "GET",
      path: "/v1/members",
      query: account.membersQuery(options),
      retry: "idempotent",
      signal: options.signal,
    });
    return checkPage(operation, decoded(operation, () => account.decodeMembersPage(body)));
  }

  async events(options: WireEventQuery & RequestOptions = {}): Promise<WireEventPage> {
    const account = this.#account("account.events");
    const operation = "GET /v1/events";
    const body = await this.#transport.json({
      operation,
      method: "GET",
      path: "/v1/events",
      query: account.eventsQuery(options),
      retry: "idempotent",
      signal: options.signal,
    });
    return checkPage(operation, decoded(operation, () => account.decodeEventsPage(body)));
  }

  /** One event; a 404 means the event is missing, whatever its code says. */
  async event(id: string, options: RequestOptions = {}): Promise<AuditEvent> {
    const account = this.#account("account.event");
    const operation = "GET /v1/events/:id";
    const body = await this.#transport.json({
      operation,
      method: "GET",
      path: `/v1/events/${encodePathSegment(id, "event id")}`,
      retry: "idempotent",
      notFound: EventNotFoundError,
      signal: options.signal,
    });
    return decoded(operation, () => account.decodeEvent(body));
  }

  /** One usage read: `GET path`, decoded by the `usage` capability's `decode`. */
  async usage<T>(
    feature: string,
    path: string,
    decode: (wire: UsageWire, body: unknown) => T,
    options: RequestOptions = {},
  ): Promise<T> {
    const usage = capability(this.#wire, "usage", feature);
    const operation = `GET ${path}`;
    const body = await this.#transport.json({
      operation,
      method: "GET",
      path,
      retry: "idempotent",
      signal: options.signal,
    });
    return decoded(operation, () => decode(usage, body));
  }

  #account(feature: string): AccountWire {
    return capability(this.#wire, "account", feature);
  }
}
