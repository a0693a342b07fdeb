/**
 * Guest paths resolved the way the guest's kernel would: every symbolic link met on the way is
 * followed inside the sandbox's own view (an absolute target starts again at the sandbox's `/`,
 * not the host's), then the result is mapped to the host by `SandboxDirs`. So a link the
 * sandbox made never leads the local cloud out of the sandbox's tree.
 *
 * @module
 */

import type { HostLocation } from "../sandbox_dir/_guest_paths.ts";
import { guestParts } from "../sandbox_dir/_guest_paths.ts";
import type { SandboxDirs } from "../sandbox_dir/_sandbox_dirs.ts";
import { tooManyLinks } from "./_fs_errors.ts";

/** Links followed before `ELOOP`, as Linux does. */
const MAX_LINKS = 40;

/** A guest path resolved: its normal form in the guest and where it lives on the host. */
export interface GuestPlace extends HostLocation {
  /** The resolved guest path, such as `/work/x`. */
  readonly guest: string;
}

/**
 * Resolves a guest path of a sandbox.
 *
 * @param dirs The sandboxes' folders.
 * @param sandbox The sandbox id.
 * @param path The guest path as the client sent it.
 * @param followLast Whether a link in the last part is followed too (stat, open) or is the
 * entry itself (lstat, remove, rename, readlink).
 * @returns The place.
 */
export async function resolveGuest(
  dirs: SandboxDirs,
  sandbox: string,
  path: string,
  followLast: boolean,
): Promise<GuestPlace> {
  let pending = guestParts(path);
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    const candidate = [...done, part];
    if (pending.length === 0 && !followLast) {
      done.push(part);
      break;
    }
    const target = await linkTarget(dirs, sandbox, candidate);
    if (target === undefined) {
      done.push(part);
      continue;
    }
    if (++links > MAX_LINKS) throw tooManyLinks();
    const base = target.startsWith("/") ? [] : done;
    pending = [...guestParts(`/${[...base, target].join("/")}`), ...pending];
    done.length = 0;
  }
  const guest = `/${done.join("/")}`;
  return { guest, ...(await dirs.resolve(sandbox, guest)) };
}

/** The target of the entry at `parts` when it is a symbolic link. */
async function linkTarget(
  dirs: SandboxDirs,
  sandbox: string,
  parts: readonly string[],
): Promise<string | undefined> {
  const { path } = await dirs.resolve(sandbox, `/${parts.join("/")}`);
  try {
    const info = await Deno.lstat(path);
    return info.isSymlink ? await Deno.readLink(path) : undefined;
  } catch {
    return undefined; // missing: what follows is created or reported by the operation itself
  }
}
