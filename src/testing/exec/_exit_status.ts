/**
 * How a command ended: {@linkcode ProcessEnd}, read from the status files the reaper writes
 * (`exit N`, `signal N`, or `failed ERRNO` when exec itself failed).
 *
 * @module
 */

import { ERRNO, failure, type SpawnFailure } from "./_spawn_failure.ts";

/** How a command ended: its exit code (−1 when killed by a signal), or a late spawn failure. */
export type ProcessEnd = { readonly code: number } | { readonly failure: SpawnFailure };

/**
 * Reads (and removes) the reaper's status files of one command.
 *
 * @param file The status file on the host; its `.exec` sibling holds a failed exec.
 * @returns How the command ended, or `undefined` when the files are missing or unreadable.
 */
export async function readStatus(file: string): Promise<ProcessEnd | undefined> {
  try {
    const execError = await readRemove(`${file}.exec`);
    if (execError?.startsWith("failed ")) {
      const errno = Number(execError.slice(7));
      return { failure: execFailure(errno) };
    }
    const text = await readRemove(file);
    if (text?.startsWith("signal ")) return { code: -1 };
    if (text?.startsWith("exit ")) return { code: Number(text.slice(5)) };
  } catch {
    // Unreadable: fall back to the wrapper's status.
  }
  return undefined;
}

async function readRemove(file: string): Promise<string | undefined> {
  try {
    const text = await Deno.readTextFile(file);
    await Deno.remove(file).catch(() => {});
    return text.trim();
  } catch {
    return undefined;
  }
}

function execFailure(errno: number): SpawnFailure {
  const name = Object.keys(ERRNO).find((key) => ERRNO[key] === errno) ?? null;
  const kind = errno === ERRNO.ENOENT
    ? "not_found"
    : errno === ERRNO.EACCES
    ? "permission_denied"
    : errno === ERRNO.ENOEXEC
    ? "not_executable"
    : "other";
  return failure(kind, errno, `execvp failed with errno ${errno}`, "execvp", name);
}
