// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Hono } from "hono";
import type { SandboxSpec } from "../models/sandbox_spec.ts";
import type { WireGeneration } from "../config/client_options.ts";
import { readJsonObject } from "./_body.ts";
import type { Guard } from "./_guard.ts";
import { sandboxJson } from "./_sandbox_json.ts";
import { SealedCursors } from "./_sealed_cursor.ts";
import { derivedSlug } from "./_slug.ts";
import { RouteError } from "./errors.ts";
import type { Principal } from "./options.ts";
import type { SandboxJson } from "./schema.ts";

/** Sandboxes per upstream page, and the most a list answer aims at: `?limit=`, 1 to 100. */
const DEFAULT_LIST_LIMIT = 100;
/** The most upstream pages one list request reads, so a scope that matches few names stays cheap. */
const MAX_PAGES_PER_LIST = 10;

/** List, create, read, start, stop and remove. */
export function lifecycleRoutes<P extends Principal>(app: Hono, guard: Guard<P>): void {
  const cursors = new SealedCursors(guard.options.cursorSecret);
  app.get("/", async (c) => {
    const { principal, client } = await guard.admit(c);
    const limit = listLimit(c.req.query("limit"));
    const given = c.req.query("cursor");
    let cursor = given ? await cursors.open(given) : undefined;
    const asked = new Set<string>();
    const sandboxes: SandboxJson[] = [];
    // Whole upstream pages, until `limit` sandboxes in scope or MAX_PAGES_PER_LIST pages; a cursor
    // the upstream already gave (or was asked with) ends the list rather than repeat its pages.
    for (let pages = 0; pages < MAX_PAGES_PER_LIST && sandboxes.length < limit; pages++) {
      if (cursor !== undefined) asked.add(cursor);
      const page = await client.sandboxes.list({ cursor, limit, signal: c.req.raw.signal });
      for (const sandbox of page.sandboxes) {
        if (await guard.sees(sandbox.name, principal, c)) sandboxes.push(sandboxJson(sandbox));
      }
      cursor = page.hasMore ? page.nextCursor : undefined;
      if (cursor === undefined || asked.has(cursor)) return c.json({ sandboxes });
    }
    return c.json(
      cursor === undefined ? { sandboxes } : { sandboxes, nextCursor: await cursors.seal(cursor) },
    );
  });

  app.post("/", async (c) => {
    const { principal, client } = await guard.admit(c);
    const body = await readJsonObject(c.req.raw, guard.options.maxBodyBytes);
    const spec = await guard.options.create(body, principal, c);
    await guard.inScope(spec.name, principal, c);
    const sandbox = await client.sandboxes.create(withSlug(spec, client.wire), {
      signal: c.req.raw.signal,
    });
    return c.json(sandboxJson(sandbox), 201);
  });

  app.get("/:name", async (c) => {
    const { principal, client } = await guard.admit(c);
    const name = await guard.name(c, principal);
    return c.json(sandboxJson(await client.sandboxes.get(name, { signal: c.req.raw.signal })));
  });

  for (const action of ["start", "stop"] as const) {
    app.post(`/:name/${action}`, async (c) => {
      const { principal, client } = await guard.admit(c);
      const name = await guard.name(c, principal);
      const sandbox = await client.sandboxes[action](name, { signal: c.req.raw.signal });
      return c.json(sandboxJson(sandbox));
    });
  }

  app.delete("/:name", async (c) => {
    const { principal, client } = await guard.admit(c);
    const name = await guard.name(c, principal);
    await client.sandboxes.remove(name, { signal: c.req.raw.signal });
    return c.body(null, 204);
  });
}

/** The `limit` query parameter: an integer from 1 to 100, 100 by default. */
function listLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIST_LIMIT;
  const limit = Number(text);
  if (Number.isInteger(limit) && limit >= 1 && limit <= DEFAULT_LIST_LIMIT) return limit;
  throw new RouteError(
    "invalid_request",
    `The query parameter limit must be an integer from 1 to ${DEFAULT_LIST_LIMIT}.`,
  );
}

/** The spec with a slug of the routes' own unless it sets one; the v0.5 wire has no slugs. */
function withSlug(spec: SandboxSpec, wire: WireGeneration): SandboxSpec {
  if (spec.slug !== undefined || wire === "v0.5") return spec;
  return { ...spec, slug: derivedSlug(spec.name) };
}
