/**
 * `CloudFileInfo` (protocol.md §2.3): one file or directory of a volume as its file routes
 * describe it, from `lstat` (a symbolic link is described, not followed).
 *
 * @module
 */

/**
 * Describes the entry at `host`, reported as `display`.
 *
 * @param display The path as the API reports it.
 * @param host Where it lives.
 * @returns Its JSON.
 */
export async function fileInfo(display: string, host: string): Promise<Record<string, unknown>> {
  const info = await Deno.lstat(host);
  const mode = (info.mode ?? 0) & 0o7777;
  return {
    path: display,
    kind: info.isFile
      ? "file"
      : info.isDirectory
      ? "directory"
      : info.isSymlink
      ? "symlink"
      : "other",
    size: info.isDirectory ? 0 : info.size,
    mode,
    uid: info.uid ?? 0,
    gid: info.gid ?? 0,
    readonly: (mode & 0o200) === 0,
    accessed_at: info.atime?.toISOString() ?? null,
    modified_at: info.mtime?.toISOString() ?? null,
    created_at: info.birthtime?.toISOString() ?? null,
  };
}

/**
 * Joins a directory's display path and an entry's name.
 *
 * @param dir The directory, as the API reports it (`/` for the root).
 * @param name The entry's name.
 * @returns The entry's display path.
 */
export function childPath(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}
