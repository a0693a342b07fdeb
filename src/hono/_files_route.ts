// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Context, Hono } from "hono";
import { routePath } from "hono/route";
import type { FsEntry } from "../fs/fs_entry.ts";
import type { Sandbox } from "../client/sandbox.ts";
import { checkDeclaredSize } from "./_body.ts";
import { download } from "./_file_download.ts";
import { guestPath, rawFileSegments } from "./_file_path.ts";
import { upload } from "./_file_upload.ts";
import type { Guard } from "./_guard.ts";
import { RouteError } from "./errors.ts";
import type { FileAccess } from "./file_access.ts";
import type { Principal } from "./options.ts";
import type { FileEntryJson } from "./schema.ts";

/**
 * The file routes of a sandbox's guest filesystem, under `/:name/files/*`: `GET` (and `HEAD`)
 * downloads, `GET ?list` lists, `PUT` uploads, `DELETE` removes (`?recursive` for a tree). Each
 * checks the name, then the path (400 `invalid_path`), then, with the sandbox's working
 * directory at hand, the `files` policy (403), before any filesystem request.
 */
export function filesRoute<P extends Principal>(app: Hono, guard: Guard<P>): void {
  const PATH = "/:name/files/*";
  app.get(PATH, async (c) => {
    const list = flag(c.req.query("list"), "list");
    const { fs, path, signal } = await open(c, guard, list ? "list" : "read");
    if (!list) return await download(fs, path, c.req.raw, signal);
    const entries = await fs.list(path, { signal });
    return c.json({ entries: entries.map(entryJson) });
  });
  app.put(PATH, async (c) => {
    const { fs, path, signal } = await open(c, guard, "write", () => {
      checkDeclaredSize(c.req.raw, guard.options.maxUploadBytes);
    });
    await upload(fs, path, c.req.raw, guard.options.maxUploadBytes, signal);
    return c.json(entryJson(await fs.stat(path, { signal })));
  });
  app.delete(PATH, async (c) => {
    const recursive = flag(c.req.query("recursive"), "recursive");
    const { fs, path, signal } = await open(c, guard, "delete");
    await fs.remove(path, { recursive, signal });
    return c.body(null, 204);
  });
}

/** What a file route acts on, once every check passed. */
interface Opened {
  fs: Sandbox["fs"];
  path: string;
  signal: AbortSignal;
}

/**
 * Runs a file route's checks in order: who asks, which sandbox, which path, what `before` checks
 * (no request upstream yet), then the sandbox and the `files` policy.
 */
async function open<P extends Principal>(
  c: Context,
  guard: Guard<P>,
  op: FileAccess["op"],
  before?: () => void,
): Promise<Opened> {
  const { principal, client } = await guard.admit(c);
  const name = await guard.name(c, principal);
  const path = guestPath(rawFileSegments(c.req.url, routePath(c)));
  before?.();
  const signal = c.req.raw.signal;
  const sandbox = await client.sandboxes.get(name, { signal });
  const access: FileAccess = Object.freeze({
    op,
    path,
    sandbox: name,
    workdir: sandbox.spec.workdir,
  });
  await guard.files(access, principal, c);
  return { fs: sandbox.fs, path, signal };
}

/** A query flag: on when present bare, `1` or `true`; off when absent, `0` or `false`. */
function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === "0" || value === "false") return false;
  if (value === "" || value === "1" || value === "true") return true;
  throw new RouteError("invalid_request", `?${name} takes no value, 1, true, 0 or false.`);
}

function entryJson(entry: FsEntry): FileEntryJson {
  return { ...entry, modified: entry.modified?.toISOString() ?? null };
}
