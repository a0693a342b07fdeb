// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Hono } from "hono";
import type { SandboxSpec } from "../models/sandbox_spec.ts";
import { readJsonObject } from "./_body.ts";
import { requiredString } from "./_fields.ts";
import type { Guard } from "./_guard.ts";
import { sandboxJson } from "./_sandbox_json.ts";
import { checkSandboxName } from "./names.ts";
import type { Principal } from "./options.ts";
import type { SandboxJson } from "./schema.ts";

/** List, create, read, start, stop and remove. */
export function lifecycleRoutes<P extends Principal>(app: Hono, guard: Guard<P>): void {
  app.get("/", async (c) => {
    const { principal, client } = await guard.admit(c);
    const sandboxes: SandboxJson[] = [];
    for await (const sandbox of client.sandboxes.iterate({ signal: c.req.raw.signal })) {
      if (await guard.sees(sandbox.name, principal, c)) sandboxes.push(sandboxJson(sandbox));
    }
    return c.json({ sandboxes });
  });

  app.post("/", async (c) => {
    const { principal, client } = await guard.admit(c);
    const body = await readJsonObject(c.req.raw, guard.options.maxBodyBytes);
    const name = await guard.inScope(checkSandboxName(body.name), principal, c);
    requiredString(body, "image");
    const spec = { ...body, name } as unknown as SandboxSpec;
    const sandbox = await client.sandboxes.create(spec, { signal: c.req.raw.signal });
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
