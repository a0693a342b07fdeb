/**
 * Copies a file, a symbolic link or a directory with everything in it, as the volume `copy`
 * route does.
 *
 * @module
 */

/**
 * Copies `from` to `to` (a file at `to` is replaced).
 *
 * @param from The source.
 * @param to The destination.
 * @returns A promise that resolves once the copy is made.
 */
export async function copyTree(from: string, to: string): Promise<void> {
  const info = await Deno.lstat(from);
  if (info.isSymlink) return await Deno.symlink(await Deno.readLink(from), to);
  if (!info.isDirectory) return await Deno.copyFile(from, to);
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    await copyTree(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}
