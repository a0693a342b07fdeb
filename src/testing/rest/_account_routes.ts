/**
 * The current generation's account routes: `GET /me/org` and `/members` from the
 * {@linkcode OrgDirectory}, `/quotas` and `/billing/usage{,/sandbox,/storage}` from a
 * {@linkcode UsageMeter}, and `/events{,/:event_id}` from an {@linkcode EventLog}, each over
 * the cloud's own sandboxes.
 *
 * @module
 */

import { Hono } from "hono";
import { invalidRequest } from "../app/_error_body.ts";
import { EventLog } from "./_events.ts";
import type { MemberRecord, OrgDirectory } from "./_org.ts";
import { pageOf, type SeqPage } from "./_paging.ts";
import { parseLimit } from "./_query.ts";
import type { SandboxStore } from "./_store.ts";
import { UsageMeter } from "./_usage.ts";

/**
 * Builds the account routes, relative to `/v1`; the meter and the event log hear the store from
 * now on.
 *
 * @param store The cloud's sandboxes.
 * @param org The cloud's organisation.
 * @returns The routes, to mount under `/v1`.
 */
export function currentAccountRoutes(store: SandboxStore, org: OrgDirectory): Hono {
  const usage = new UsageMeter(store);
  const events = new EventLog(store);
  const app = new Hono();
  app.get("/me/org", (c) =>
    c.json({
      id: org.id,
      name: org.name,
      slug: org.slug,
      mfa_required: false,
      role: "owner",
      created_at: org.createdAt,
      updated_at: org.createdAt,
    }));
  app.get("/members", (c) => {
    const query = {
      cursor: c.req.query("cursor") || undefined,
      limit: parseLimit(c.req.query("limit")),
    };
    return c.json(pageBody(pageOf(org.members, query), memberResponse));
  });
  app.get("/quotas", (c) => c.json(usage.quotas()));
  app.get("/billing/usage", (c) => c.json(usage.summary()));
  app.get("/billing/usage/sandbox", (c) => c.json(usage.bySandbox()));
  app.get("/billing/usage/storage", (c) => c.json(usage.storage()));
  app.get("/events", (c) => {
    const page = events.list({
      eventType: c.req.query("event_type") || undefined,
      since: parseTime("since", c.req.query("since")),
      until: parseTime("until", c.req.query("until")),
      cursor: c.req.query("cursor") || undefined,
      limit: parseLimit(c.req.query("limit")),
    });
    return c.json(pageBody(page, EventLog.response));
  });
  app.get(
    "/events/:event_id",
    (c) => c.json(EventLog.response(events.byId(c.req.param("event_id")))),
  );
  return app;
}

/** A `Paginated*Response`: `{data, has_more, next_cursor}`. */
function pageBody<T>(page: SeqPage<T>, item: (value: T) => unknown): Record<string, unknown> {
  return {
    data: page.items.map(item),
    has_more: page.nextCursor !== null,
    next_cursor: page.nextCursor,
  };
}

function memberResponse(member: MemberRecord): Record<string, unknown> {
  return {
    id: member.id,
    user_id: member.userId,
    email: member.email,
    role: member.role,
    display_name: member.displayName,
    avatar_url: member.avatarUrl,
    joined_at: member.joinedAt,
  };
}

/** An RFC 3339 date-time, as milliseconds since the epoch. */
function parseTime(name: string, value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(value)
    ? Date.parse(value)
    : NaN;
  if (Number.isNaN(ms)) {
    throw invalidRequest(
      `Cannot use ${name}=${value}: use an RFC 3339 date-time such as 2026-01-02T03:04:05Z`,
    );
  }
  return ms;
}
