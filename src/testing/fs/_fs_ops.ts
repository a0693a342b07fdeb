/**
 * The guest filesystem's one-shot operations, as agentd answers them: each `FsOp` that needs no
 * handle becomes one `FsResponse`, acting on the same per-sandbox tree that commands see. Errors
 * carry agentd's words (`<step>: <OS error>`); a change under the host's read-only system
 * directories fails with `EROFS`.
 *
 * @module
 */

import type { FsEntryInfo, FsOp, FsResponse, FsResponseData } from "../../protocol/mod.ts";
import type { SandboxDirs } from "../sandbox_dir/_sandbox_dirs.ts";
import { agentError, invalidArgument, notADirectory, readOnly } from "./_fs_errors.ts";
import { type GuestPlace, resolveGuest } from "./_guest_resolve.ts";

/** The sandbox whose tree an operation acts on. */
export interface FsTree {
  readonly dirs: SandboxDirs;
  readonly sandboxId: string;
}

/** An `FsResponse` that succeeded, with its data if any. */
export function ok(data: FsResponseData | null = null): FsResponse {
  return { ok: true, error: null, data };
}

/** An `FsResponse` that failed at `step`. */
export function failed(step: string, error: unknown): FsResponse {
  return { ok: false, error: agentError(step, error), data: null };
}

/** Resolves `path` in the tree; `writable` refuses the host's read-only entries. */
export async function place(
  tree: FsTree,
  path: string,
  options: { followLast: boolean; writable: boolean },
): Promise<GuestPlace> {
  const found = await resolveGuest(tree.dirs, tree.sandboxId, path, options.followLast);
  if (options.writable && found.readOnly) throw readOnly();
  return found;
}

/** The `FsEntryInfo` of a host entry, named by its guest path. */
export function entryInfo(path: string, info: Deno.FileInfo): FsEntryInfo {
  const kind = info.isSymlink
    ? "symlink"
    : info.isDirectory
    ? "dir"
    : info.isFile
    ? "file"
    : "other";
  const seconds = (date: Date | null) => date === null ? null : Math.floor(date.getTime() / 1000);
  return {
    path,
    kind,
    size: info.size,
    mode: info.mode ?? 0,
    modified: seconds(info.mtime),
    uid: info.uid ?? 0,
    gid: info.gid ?? 0,
    atime: seconds(info.atime),
    mtime: seconds(info.mtime),
  };
}

/** Steps named as agentd names them in its errors. */
const STEPS: Readonly<Record<string, string>> = {
  RealPath: "realpath",
  Stat: "stat",
  List: "readdir",
  ReadLink: "readlink",
  Symlink: "symlink",
  Mkdir: "mkdir",
  Remove: "remove",
  RemoveDir: "remove_dir",
  Copy: "copy",
  Rename: "rename",
  SetStat: "setstat",
};

/**
 * Whether `op` is one of the one-shot operations {@linkcode runSimpleOp} answers.
 *
 * @param op The operation.
 * @returns Its variant name when it is.
 */
export function simpleOpName(op: FsOp): string | undefined {
  const name = Object.keys(op)[0]!;
  return Object.hasOwn(STEPS, name) ? name : undefined;
}

/**
 * Runs a one-shot operation.
 *
 * @param tree The sandbox.
 * @param op The operation ({@linkcode simpleOpName} says it is one).
 * @returns The response.
 */
export async function runSimpleOp(tree: FsTree, op: FsOp): Promise<FsResponse> {
  const name = simpleOpName(op)!;
  try {
    const args = (op as unknown as Record<string, Record<string, unknown>>)[name]!;
    return await RUN[name]!(tree, args);
  } catch (error) {
    return failed(STEPS[name]!, error);
  }
}

type Run = (tree: FsTree, args: Record<string, unknown>) => Promise<FsResponse>;
const str = (value: unknown): string => value as string;

const RUN: Readonly<Record<string, Run>> = {
  async RealPath(tree, { path }) {
    const found = await place(tree, str(path), { followLast: true, writable: false });
    await Deno.lstat(found.path);
    return ok({ Path: found.guest });
  },
  async Stat(tree, { path, followSymlink }) {
    const found = await place(tree, str(path), { followLast: !!followSymlink, writable: false });
    const info = followSymlink ? await Deno.stat(found.path) : await Deno.lstat(found.path);
    return ok({ Stat: entryInfo(str(path), info) });
  },
  async List(tree, { path }) {
    const found = await place(tree, str(path), { followLast: true, writable: false });
    const base = str(path).replace(/\/+$/, "");
    const entries: FsEntryInfo[] = [];
    for await (const entry of Deno.readDir(found.path)) {
      const info = await Deno.lstat(`${found.path}/${entry.name}`);
      entries.push(entryInfo(`${base}/${entry.name}`, info));
    }
    entries.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    return ok({ List: entries });
  },
  async ReadLink(tree, { path }) {
    const found = await place(tree, str(path), { followLast: false, writable: false });
    if (!(await Deno.lstat(found.path)).isSymlink) throw invalidArgument();
    return ok({ Path: await Deno.readLink(found.path) });
  },
  async Symlink(tree, { target, linkPath }) {
    const found = await place(tree, str(linkPath), { followLast: false, writable: true });
    await Deno.symlink(str(target), found.path);
    return ok();
  },
  async Mkdir(tree, { path, mode }) {
    const found = await place(tree, str(path), { followLast: true, writable: true });
    await Deno.mkdir(found.path, { recursive: true });
    if (typeof mode === "number") await Deno.chmod(found.path, mode);
    return ok();
  },
  async Remove(tree, { path }) {
    const found = await place(tree, str(path), { followLast: false, writable: true });
    if ((await Deno.lstat(found.path)).isDirectory) {
      throw new Deno.errors.IsADirectory(
        "Is a directory (os error 21)",
      );
    }
    await Deno.remove(found.path);
    return ok();
  },
  async RemoveDir(tree, { path, recursive }) {
    const found = await place(tree, str(path), { followLast: false, writable: true });
    if (!(await Deno.lstat(found.path)).isDirectory) throw notADirectory();
    await Deno.remove(found.path, { recursive: !!recursive });
    return ok();
  },
  async Copy(tree, { src, dst }) {
    const from = await place(tree, str(src), { followLast: true, writable: false });
    const to = await place(tree, str(dst), { followLast: true, writable: true });
    await Deno.copyFile(from.path, to.path);
    return ok();
  },
  async Rename(tree, { src, dst }) {
    const from = await place(tree, str(src), { followLast: false, writable: true });
    const to = await place(tree, str(dst), { followLast: false, writable: true });
    await Deno.rename(from.path, to.path);
    return ok();
  },
  async SetStat(tree, { path, attrs }) {
    const found = await place(tree, str(path), { followLast: true, writable: true });
    const { mode, size } = attrs as { mode: number | null; size: number | null };
    if (mode !== null) await Deno.chmod(found.path, mode);
    if (size !== null) await Deno.truncate(found.path, Number(size));
    return ok();
  },
};
