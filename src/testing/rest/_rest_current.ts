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
import type { JsonObject, Page, SandboxRecord } from "./_sandbox_record.ts";
import { requireVolumes } from "../volumes/_volume_mounts.ts";
import type { VolumeStore } from "../volumes/_volume_store.ts";
import type { SandboxStore } from "./_store.ts";

/** The current generation's JSON; a create may mount only volumes that exist. */
const currentShape = (volumes: VolumeStore): WireShape => ({
  parseCreate: (body) => {
    const created = parseCurrentCreate(body);
    requireVolumes(created.spec.mounts as JsonObject[], volumes);
    return created;
  },
  sandbox: sandboxResponse,
  page: (page: Page) => ({
    data: page.items.map(sandboxResponse),
    has_more: page.nextCursor !== null,
    next_cursor: page.nextCursor,
  }),
  waits: true,
  labelFilter: true,
});

/**
 * Builds the current generation's sandbox routes, relative to `/v1`.
 *
 * @param store The cloud's sandboxes.
 * @param volumes The cloud's volumes, which a create may mount.
 * @returns The routes, to mount under `/v1`.
 */
export function currentRestRoutes(store: SandboxStore, volumes: VolumeStore): Hono {
  const routes = new SandboxRoutes(store, currentShape(volumes));
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
