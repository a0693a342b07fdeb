/**
 * The volume routes of the current generation (openapi `list_volumes`, `create_volume`,
 * `update_volume`, `delete_volume`, plus `GET /v1/volumes/default`, which the SDK calls and
 * openapi does not describe), answering `VolumeResponse` bodies.
 *
 * @module
 */

import { type Context, Hono } from "hono";
import { invalidRequest } from "../app/_error_body.ts";
import { JsonFields } from "../rest/_json_fields.ts";
import { readJson } from "../rest/_sandbox_routes.ts";
import { GIB, type VolumeRecord, type VolumeStore } from "./_volume_store.ts";

/** The largest `capacity_gib` (openapi: int32). */
const MAX_GIB = 2 ** 31 - 1;

/**
 * Builds the volume routes, relative to `/v1`.
 *
 * @param volumes The cloud's volumes.
 * @returns The routes.
 */
export function volumeRoutes(volumes: VolumeStore): Hono {
  const app = new Hono();
  const byId = (c: Context): VolumeRecord => volumes.byId(c.req.param("id") ?? "");
  const reply = async (c: Context, record: VolumeRecord, sampled = true) =>
    c.json(volumeResponse(record, sampled ? await volumes.usedBytes(record) : null));
  app.get("/volumes", async (c) => {
    const records = volumes.list();
    const used = await Promise.all(records.map((record) => volumes.usedBytes(record)));
    return c.json(records.map((record, i) => volumeResponse(record, used[i]!)));
  });
  app.get("/volumes/default", (c) => reply(c, volumes.host));
  app.post("/volumes", async (c) => {
    const body = JsonFields.root(await readJson(c));
    const record = volumes.create({
      name: body.requiredString("name"),
      labels: body.stringMap("labels") ?? {},
      capacityGib: capacityGib(body) ?? null,
    });
    return await reply(c, record, false);
  });
  app.patch("/volumes/:id", async (c) => {
    const record = byId(c);
    const body = JsonFields.root(await readJson(c));
    volumes.update(record, { capacityGib: capacityGib(body), labels: body.stringMap("labels") });
    return await reply(c, record);
  });
  app.delete("/volumes/:id", async (c) => {
    const record = byId(c);
    await volumes.remove(record);
    return c.json({ message: `Volume ${record.id} scheduled for deletion` });
  });
  return app;
}

/** `capacity_gib`: absent is `undefined`, `null` clears, else 1 to 2^31 - 1. */
function capacityGib(body: JsonFields): number | null | undefined {
  if (!("capacity_gib" in body.value)) return undefined;
  if (body.value.capacity_gib === null) return null;
  const gib = body.integer("capacity_gib", MAX_GIB);
  if (gib === 0) throw invalidRequest("Cannot accept the request: `capacity_gib` must be >= 1");
  return gib;
}

/** Writes one volume as openapi `VolumeResponse`. */
function volumeResponse(record: VolumeRecord, usedBytes: number | null): Record<string, unknown> {
  return {
    id: record.id,
    name: record.name,
    kind: record.kind,
    storage: "block",
    status: "active",
    used_bytes: usedBytes,
    capacity_bytes: record.capacityGib === null ? null : record.capacityGib * GIB,
    labels: record.labels,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
