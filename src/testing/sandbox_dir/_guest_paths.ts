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

/** Where a guest path lives on the host. */
export interface HostLocation {
  /** The host path. */
  readonly path: string;
  /** Whether it is one of the host's system entries (read-only for the sandbox). */
  readonly readOnly: boolean;
}

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
