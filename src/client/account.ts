// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { AuditEvent } from "../models/event.ts";
import type { Member } from "../models/member.ts";
import type { Org } from "../models/org.ts";
import type {
  QuotaUsage,
  StorageBreakdown,
  UsageBreakdown,
  UsageSummary,
} from "../models/usage.ts";
import type { AccountApi } from "./_account_api.ts";
import { walkPages } from "./_pages.ts";
import type { PageOptions, RequestOptions } from "./request_options.ts";

/**
 * One page of {@linkcode Account.listMembers}.
 *
 * @example Walking the pages by hand
 * ```ts
 * import { Microsandbox, type MemberPage } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * async function emails(msb: Microsandbox): Promise<string[]> {
 *   const found: string[] = [];
 *   let page: MemberPage | undefined;
 *   do {
 *     page = await msb.account.listMembers({ cursor: page?.nextCursor, limit: 100 });
 *     found.push(...page.members.map((member) => member.email));
 *   } while (page.hasMore);
 *   return found;
 * }
 *
 * // A stand-in for the cloud that answers with one empty page.
 * const msb = new Microsandbox({
 *   apiKey: "msb_test_123",
 *   fetch: () => Promise.resolve(Response.json({ data: [], next_cursor: null, has_more: false })),
 * });
 * assert.deepEqual(await emails(msb), []);
 * ```
 */
export interface MemberPage {
  /** The members of this page. */
  members: Member[];
  /** The cursor of the next page, when there is one. */
  nextCursor: string | undefined;
  /** Whether another page follows. */
  hasMore: boolean;
}

/**
 * Which audit events {@linkcode Account.listEvents} and {@linkcode Account.events} read: the
 * filters of `GET /v1/events` and the page. An ill-formed filter (an invalid `Date`, `since` after
 * `until`, an empty `eventType`, a `limit` outside 1 to 100) rejects with an `InvalidConfigError`
 * before any request.
 *
 * @example The sandboxes created in the last hour
 * ```ts
 * import { type EventListOptions, Microsandbox } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * // A stand-in for the cloud that records the URLs it is asked for.
 * const urls: string[] = [];
 * const msb = new Microsandbox({
 *   apiKey: "msb_test_123",
 *   fetch: (input) => {
 *     urls.push(String(input));
 *     return Promise.resolve(Response.json({ data: [], next_cursor: null, has_more: false }));
 *   },
 * });
 * const until = new Date("2026-03-04T05:00:00Z");
 * const options: EventListOptions = {
 *   eventType: "sandbox_created",
 *   since: new Date(until.getTime() - 3_600_000),
 *   until,
 *   limit: 50,
 * };
 * assert.deepEqual((await msb.account.listEvents(options)).events, []);
 * const query = new URL(urls[0]!).searchParams;
 * assert.equal(query.get("event_type"), "sandbox_created");
 * assert.equal(query.get("since"), "2026-03-04T04:00:00.000Z");
 * assert.equal(query.get("until"), "2026-03-04T05:00:00.000Z");
 * assert.equal(query.get("limit"), "50");
 * ```
 */
export interface EventListOptions extends PageOptions {
  /** Only events of this type, such as `sandbox_created` or `api_key_created`. */
  eventType?: string | undefined;
  /** Only events at or after this time. */
  since?: Date | undefined;
  /** Only events at or before this time. */
  until?: Date | undefined;
}

/**
 * One page of {@linkcode Account.listEvents}.
 *
 * @example Walking the pages by hand
 * ```ts
 * import { type EventPage, Microsandbox } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * async function types(msb: Microsandbox): Promise<string[]> {
 *   const found: string[] = [];
 *   let page: EventPage | undefined;
 *   do {
 *     page = await msb.account.listEvents({ cursor: page?.nextCursor, limit: 100 });
 *     found.push(...page.events.map((event) => event.eventType));
 *   } while (page.hasMore);
 *   return found;
 * }
 *
 * // A stand-in for the cloud that answers with one empty page.
 * const msb = new Microsandbox({
 *   apiKey: "msb_test_123",
 *   fetch: () => Promise.resolve(Response.json({ data: [], next_cursor: null, has_more: false })),
 * });
 * assert.deepEqual(await types(msb), []);
 * ```
 */
export interface EventPage {
  /** The events of this page. */
  events: AuditEvent[];
  /** The cursor of the next page, when there is one. */
  nextCursor: string | undefined;
  /** Whether another page follows. */
  hasMore: boolean;
}

let makeAccount: (api: AccountApi) => Account;

/** Builds the `msb.account` reads over the given operations. */
export function accountOf(api: AccountApi): Account {
  return makeAccount(api);
}

/**
 * The organisation the API key belongs to, its members and its audit events, as `msb.account`
 * (current wire only; with `wire: "v0.5"` every call rejects with an `UnsupportedError` before
 * any request).
 *
 * @example The organisation and everyone in it
 * ```ts
 * import { Microsandbox, UnsupportedError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * // A stand-in for the cloud that answers the two account routes.
 * const org = {
 *   id: "0b9f6a4e-1f6e-4a53-9d6c-3f1b2a0c9e11",
 *   name: "Acme",
 *   slug: "acme",
 *   mfa_required: false,
 *   role: "owner",
 *   created_at: "2026-01-02T03:04:05Z",
 *   updated_at: "2026-02-03T04:05:06Z",
 * };
 * const ada = {
 *   id: "5d2c9b1a-7e4f-4c3b-8a2d-1e0f9c8b7a61",
 *   user_id: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d",
 *   email: "ada@acme.test",
 *   role: "admin",
 *   display_name: "Ada",
 *   avatar_url: null,
 *   joined_at: "2026-01-03T00:00:00Z",
 * };
 * const fetch = (input: RequestInfo | URL): Promise<Response> =>
 *   Promise.resolve(
 *     new URL(String(input)).pathname === "/v1/me/org"
 *       ? Response.json(org)
 *       : Response.json({ data: [ada], next_cursor: null, has_more: false }),
 *   );
 *
 * const msb = new Microsandbox({ apiKey: "msb_test_123", fetch });
 * const acme = await msb.account.org();
 * assert.equal(acme.slug, "acme");
 * assert.ok(acme.createdAt instanceof Date);
 * const names: string[] = [];
 * for await (const member of msb.account.members()) names.push(member.displayName ?? member.email);
 * assert.deepEqual(names, ["Ada"]);
 *
 * const seed = new Microsandbox({ apiKey: "msb_test_123", fetch, wire: "v0.5" });
 * await assert.rejects(seed.account.org(), UnsupportedError);
 * ```
 */
export class Account {
  readonly #api: AccountApi;

  static {
    makeAccount = (api) => new Account(api);
  }

  private constructor(api: AccountApi) {
    this.#api = api;
  }

  /**
   * Reads the organisation the API key belongs to (`GET /v1/me/org`).
   *
   * @param options A signal.
   * @returns The organisation.
   */
  async org(options?: RequestOptions): Promise<Org> {
    return await this.#api.org(options);
  }

  /**
   * Reads one page of the organisation's members (`GET /v1/members`).
   *
   * @param options The cursor, the page size and a signal.
   * @returns The page and the cursor of the next one.
   */
  async listMembers(options?: PageOptions): Promise<MemberPage> {
    return await this.#api.members(options);
  }

  /**
   * Walks every page of members, fetching each page when the previous one is used up.
   *
   * @param options The page size and a signal.
   * @returns The members, in the server's order.
   */
  members(options: Omit<PageOptions, "cursor"> = {}): AsyncGenerator<Member, void> {
    return walkPages("GET /v1/members", async (cursor) => {
      const { members, ...page } = await this.listMembers({ ...options, cursor });
      return { items: members, ...page };
    });
  }

  /**
   * Reads one page of the organisation's audit events (`GET /v1/events`).
   *
   * @param options The filters (`eventType`, `since`, `until`), the cursor, the page size and a
   * signal.
   * @returns The page and the cursor of the next one.
   */
  async listEvents(options?: EventListOptions): Promise<EventPage> {
    return await this.#api.events(options);
  }

  /**
   * Walks every page of audit events, fetching each page when the previous one is used up.
   *
   * @param options The filters, the page size and a signal.
   * @returns The events, in the server's order.
   */
  events(options: Omit<EventListOptions, "cursor"> = {}): AsyncGenerator<AuditEvent, void> {
    return walkPages("GET /v1/events", async (cursor) => {
      const { events, ...page } = await this.listEvents({ ...options, cursor });
      return { items: events, ...page };
    });
  }

  /**
   * Reads one audit event (`GET /v1/events/{event_id}`); a missing one rejects with an
   * `EventNotFoundError`.
   *
   * @param id The event's id (a UUID).
   * @param options A signal.
   * @returns The event.
   */
  async event(id: string, options?: RequestOptions): Promise<AuditEvent> {
    return await this.#api.event(id, options);
  }

  /**
   * Reads the organisation's quotas and this month's use of them (`GET /v1/quotas`).
   *
   * @param options A signal.
   * @returns The limits (`undefined` is unlimited) and the counts.
   */
  async quotas(options?: RequestOptions): Promise<QuotaUsage> {
    return await this.#api.usage(
      "account.quotas",
      "/v1/quotas",
      (w, b) => w.decodeQuotas(b),
      options,
    );
  }

  /**
   * Reads this billing period's usage and cost (`GET /v1/billing/usage`).
   *
   * @param options A signal.
   * @returns The period, its line items, a daily series and the totals.
   */
  async usage(options?: RequestOptions): Promise<UsageSummary> {
    return await this.#api.usage(
      "account.usage",
      "/v1/billing/usage",
      (w, b) => w.decodeSummary(b),
      options,
    );
  }

  /**
   * Reads compute use per sandbox and day (`GET /v1/billing/usage/sandbox`).
   *
   * @param options A signal.
   * @returns The rows and the sandboxes they refer to.
   */
  async usageBySandbox(options?: RequestOptions): Promise<UsageBreakdown> {
    return await this.#api.usage(
      "account.usageBySandbox",
      "/v1/billing/usage/sandbox",
      (w, b) => w.decodeBreakdown(b),
      options,
    );
  }

  /**
   * Reads durable-storage use per volume and day (`GET /v1/billing/usage/storage`).
   *
   * @param options A signal.
   * @returns The rows and the volumes they refer to.
   */
  async storageUsage(options?: RequestOptions): Promise<StorageBreakdown> {
    return await this.#api.usage(
      "account.storageUsage",
      "/v1/billing/usage/storage",
      (w, b) => w.decodeStorage(b),
      options,
    );
  }
}
