/**
 * The current wire generation's REST surface (msb-cloud API 0.1.0, `openapi.json`):
 * `SandboxResponse` and `PaginatedSandboxResponse` bodies, readiness waits, the `labels` filter,
 * and the by-id routes with `PATCH` rename on top of the shared routes.
 *
 * @module
 */

import type { Context, Hono } from "hono";
import { parseCurrentCreate } from "./_current_spec.ts";
import { JsonFields } from "./_json_fields.ts";
import { readJson, SandboxRoutes, type WireShape } from "./_sandbox_routes.ts";
import type { Page, SandboxRecord } from "./_sandbox_record.ts";
import type { SandboxStore } from "./_store.ts";

/** The current generation's JSON. */
const CURRENT_SHAPE: WireShape = {
  parseCreate: parseCurrentCreate,
  sandbox: sandboxResponse,
  page: (page: Page) => ({
    data: page.items.map(sandboxResponse),
    has_more: page.nextCursor !== null,
    next_cursor: page.nextCursor,
  }),
  waits: true,
  labelFilter: true,
};

/**
 * Builds the current generation's sandbox routes, relative to `/v1`.
 *
 * @param store The cloud's sandboxes.
 * @returns The routes, to mount under `/v1`.
 */
export function currentRestRoutes(store: SandboxStore): Hono {
  const routes = new SandboxRoutes(store, CURRENT_SHAPE);
  const app = routes.common();
  const path = "/sandboxes/:sandbox_id";
  const byId = (c: Context): SandboxRecord => store.byId(c.req.param("sandbox_id") ?? "");
  routes.addActions(app, path, byId);
  app.patch(path, async (c) => {
    const record = byId(c);
    const body = JsonFields.root(await readJson(c));
    const name = body.raw("name") === undefined ? undefined : body.requiredString("name");
    store.rename(record, { name, slug: body.string("slug") });
    return routes.reply(c, record);
  });
  return app;
}

/**
 * Writes one sandbox as openapi `SandboxResponse`.
 *
 * @param record The sandbox.
 * @returns Its JSON.
 */
function sandboxResponse(record: SandboxRecord): Record<string, unknown> {
  return {
    id: record.id,
    org_id: record.orgId,
    name: record.name,
    slug: record.slug,
    status: record.status,
    status_reason: record.status === "starting" ? "scheduling" : null,
    spec: record.spec,
    ephemeral: record.ephemeral,
    created_at: record.createdAt,
    started_at: record.startedAt,
    stopped_at: record.stoppedAt,
    last_failure_message: record.failure,
  };
}
