// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

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

let makeAccount: (api: AccountApi) => Account;

/** Builds the `msb.account` reads over the given operations. */
export function accountOf(api: AccountApi): Account {
  return makeAccount(api);
}

/**
 * The organisation the API key belongs to and its members, as `msb.account` (current wire only;
 * with `wire: "v0.5"` every call rejects with an `UnsupportedError` before any request).
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
