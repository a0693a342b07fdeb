/**
 * A sandbox folder laid out as a root: the sandbox's own `/tmp`, `/root`, `/.msb/run`, mount
 * points for `/proc`, `/dev` and the host's system entries, and the host's top-level symlinks.
 *
 * @module
 */

import { SYSTEM_ENTRIES } from "./_guest_paths.ts";

/** What one shared top-level entry is on the host. */
export interface SystemEntry {
  /** Its name, e.g. `usr`. */
  readonly name: string;
  /** A directory (bound read-only), or a symlink (copied as the same symlink, e.g. `bin -> usr/bin`). */
  readonly kind: "dir" | "symlink";
  /** The symlink's target, for a symlink. */
  readonly target: string | null;
}

/** The guest directories every sandbox folder has, with their modes. */
const OWN_DIRS: readonly (readonly [string, number])[] = [
  ["tmp", 0o1777],
  ["root", 0o700],
  ["proc", 0o755],
  ["dev", 0o755],
  [".msb/run", 0o755],
];

/**
 * Lists the system entries this host has, as they are on the host. Never rejects: an entry
 * that cannot be read is left out.
 *
 * @returns The entries, in {@linkcode SYSTEM_ENTRIES} order.
 */
export async function hostSystemEntries(): Promise<SystemEntry[]> {
  const found: SystemEntry[] = [];
  for (const name of SYSTEM_ENTRIES) {
    try {
      const info = await Deno.lstat(`/${name}`);
      if (info.isSymlink) {
        found.push({ name, kind: "symlink", target: await Deno.readLink(`/${name}`) });
      } else if (info.isDirectory) {
        found.push({ name, kind: "dir", target: null });
      }
    } catch {
      // Not on this host.
    }
  }
  return found;
}

/**
 * Lays out a sandbox folder as a root: the sandbox's own `/tmp`, `/root`, `/.msb/run`, empty
 * mount points for `/proc`, `/dev` and the shared directories, and the host's top-level
 * symlinks (such as `bin -> usr/bin`). Existing entries are left as they are.
 *
 * @param sandboxDir The sandbox folder.
 * @param entries The host's system entries.
 * @returns A promise that resolves once the layout is there.
 */
export async function layOutRoot(
  sandboxDir: string,
  entries: readonly SystemEntry[],
): Promise<void> {
  for (const [dir, mode] of OWN_DIRS) {
    const path = `${sandboxDir}/${dir}`;
    if (await exists(path)) continue;
    await Deno.mkdir(path, { recursive: true, mode });
    await Deno.chmod(path, mode);
  }
  for (const entry of entries) {
    const path = `${sandboxDir}/${entry.name}`;
    if (await exists(path)) continue;
    if (entry.kind === "symlink") await Deno.symlink(entry.target!, path);
    else await Deno.mkdir(path);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
