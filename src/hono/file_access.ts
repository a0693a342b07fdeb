// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * What a caller asks of a file route, as the `files` hook of `sandboxRoutes` sees it: after the
 * path is checked (a normal absolute path, refused with 400 `invalid_path` otherwise) and before
 * any filesystem request to the sandbox. The object is frozen, and `path` is exactly the path the
 * routes then act on.
 *
 * @example Let each tenant touch only `/workspace/<tenant>`, and read `/data`
 * ```ts
 * import { type FileAccess } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const under = (path: string, root: string) => path === root || path.startsWith(`${root}/`);
 * const files = ({ op, path }: FileAccess, { tenant }: { tenant: string }): boolean =>
 *   under(path, `/workspace/${tenant}`) || (op === "read" && under(path, "/data"));
 *
 * const access: FileAccess = { op: "write", path: "/data/x", sandbox: "acme-1", workdir: undefined };
 * assert.equal(files(access, { tenant: "acme" }), false);
 * assert.equal(files({ ...access, op: "read" }, { tenant: "acme" }), true);
 * ```
 */
export interface FileAccess {
  /**
   * What the route does: `read` (`GET` and `HEAD`), `write` (`PUT`), `list` (`GET ?list`) or
   * `delete` (`DELETE`).
   */
  readonly op: "read" | "write" | "list" | "delete";
  /** The guest path, absolute and normal (no `.`, `..` or empty segment, no `\`). */
  readonly path: string;
  /** The sandbox's name. */
  readonly sandbox: string;
  /** The working directory the sandbox's spec names (`SandboxSpec.workdir`), if it names one. */
  readonly workdir: string | undefined;
}

/**
 * The default `files` policy of `sandboxRoutes`: a path inside the sandbox's working directory
 * (its spec's `workdir`), and the directory itself for `read` and `list`; nothing when the spec
 * names no working directory (the adapter cannot know an image's `WORKDIR`), or names one that is
 * not a normal absolute path.
 *
 * @param access What the caller asks.
 * @returns Whether to allow it.
 *
 * @example Admins anywhere, everyone else in the working directory
 * ```ts
 * import { type FileAccess, insideWorkdir } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const files = (access: FileAccess, user: { admin: boolean }) => user.admin || insideWorkdir(access);
 * const access: FileAccess = { op: "read", path: "/etc/passwd", sandbox: "a", workdir: "/app" };
 * assert.equal(files(access, { admin: false }), false);
 * assert.equal(files({ ...access, path: "/app/main.py" }, { admin: false }), true);
 * assert.equal(insideWorkdir({ ...access, path: "/app", op: "delete" }), false);
 * assert.equal(insideWorkdir({ ...access, path: "/app/x", workdir: undefined }), false);
 * ```
 */
export function insideWorkdir(access: FileAccess): boolean {
  const root = normalRoot(access.workdir);
  if (root === undefined) return false;
  if (access.path === root) return access.op === "read" || access.op === "list";
  return access.path.startsWith(root === "/" ? "/" : `${root}/`);
}

/** `workdir` without its trailing `/`, when it is a normal absolute path. */
function normalRoot(workdir: string | undefined): string | undefined {
  if (workdir === undefined || !workdir.startsWith("/")) return undefined;
  const root = workdir.length > 1 ? workdir.replace(/\/$/, "") : workdir;
  if (root === "/") return root;
  const segments = root.slice(1).split("/");
  const normal = segments.every((segment) =>
    segment !== "" && segment !== "." && segment !== ".." && !segment.includes("\\")
  );
  return normal ? root : undefined;
}
