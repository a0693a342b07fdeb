// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Org } from "../models/org.ts";
import type { HttpTransport } from "../transport/http_transport.ts";
import { capability } from "../wire/_capability.ts";
import type { AccountWire, UsageWire, WireAdapter, WireMemberPage } from "../wire/wire_adapter.ts";
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
