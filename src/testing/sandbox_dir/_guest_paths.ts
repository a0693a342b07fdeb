/**
 * Where a sandbox's files live on the host: the one mapping from a path in the sandbox (a guest
 * path) to a host path. The host's system directories ({@linkcode SYSTEM_ENTRIES}: `/usr`,
 * `/etc`, `/bin`, `/lib*`, ...) are the host's own, read-only; every other path (`/`, `/tmp`,
 * `/root`, `/app`, any new top-level directory) is inside the sandbox's folder. Commands under
 * a root view see exactly this; anything that serves a sandbox's files uses the same mapping.
 *
 * @module
 */

/** The top-level entries a sandbox shares with the host, read-only, when the host has them. */
export const SYSTEM_ENTRIES: readonly string[] = [
  "usr",
  "bin",
  "sbin",
  "lib",
  "lib32",
  "lib64",
  "libx32",
  "etc",
];

/** What one shared top-level entry is on the host. */
export interface SystemEntry {
  /** Its name, e.g. `usr`. */
  readonly name: string;
  /** A directory (bound read-only), or a symlink (copied as the same symlink, e.g. `bin -> usr/bin`). */
  readonly kind: "dir" | "symlink";
  /** The symlink's target, for a symlink. */
  readonly target: string | null;
}

/** Where a guest path lives on the host. */
export interface HostLocation {
  /** The host path. */
  readonly path: string;
  /** Whether it is one of the host's system entries (read-only for the sandbox). */
  readonly readOnly: boolean;
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
 * Splits a guest path into its parts: `null`, `""` and `/` are the root; a relative path is
 * relative to `/`; `.` is dropped; `..` never goes above the root.
 *
 * @param path The guest path.
 * @returns The parts, e.g. `["usr", "bin"]`.
 */
export function guestParts(path: string | null): string[] {
  const parts: string[] = [];
  for (const part of (path ?? "").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts;
}

/**
 * The normal form of a guest path.
 *
 * @param path The guest path.
 * @returns An absolute path without `.`, `..` or doubled slashes, e.g. `/work/x`.
 */
export function normalGuestPath(path: string | null): string {
  return `/${guestParts(path).join("/")}`;
}

/**
 * Maps a guest path to where it lives on the host: under a system entry, the host's own path
 * (read-only); anywhere else, inside the sandbox folder.
 *
 * @param sandboxDir The sandbox folder on the host (the sandbox's `/`).
 * @param path The guest path.
 * @returns The host path and whether it is read-only.
 */
export function locateGuestPath(sandboxDir: string, path: string | null): HostLocation {
  const parts = guestParts(path);
  if (parts.length > 0 && SYSTEM_ENTRIES.includes(parts[0]!)) {
    return { path: `/${parts.join("/")}`, readOnly: true };
  }
  return {
    path: parts.length === 0 ? sandboxDir : `${sandboxDir}/${parts.join("/")}`,
    readOnly: false,
  };
}

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
