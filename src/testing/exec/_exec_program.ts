/**
 * What a command sees of the file system, and the checks before it starts: its working
 * directory, and its program found the way `execvp` finds it. Under a root view the command
 * sees guest paths (mapped to the host through `_guest_paths.ts`); otherwise it sees the host's
 * file system, with its working directory mapped into the sandbox folder.
 *
 * @module
 */

import { locateGuestPath, normalGuestPath } from "../sandbox_dir/_guest_paths.ts";
import { ERRNO, failure, type SpawnFailure } from "./_spawn_failure.ts";

/** The file system as one command sees it. */
export interface CommandView {
  /** The working directory, as the command sees it. */
  readonly cwd: string;
  /**
   * The host path of a path as the command sees it.
   *
   * @param path An absolute path as the command sees it.
   * @returns The host path.
   */
  hostOf(path: string): string;
  /**
   * Where else an absolute program path may be, as the command sees it.
   *
   * @param path The absolute path named.
   * @returns The other candidates, in order.
   */
  alternatives(path: string): string[];
}

/**
 * The view of a command in a sandbox.
 *
 * @param sandboxDir The sandbox folder on the host.
 * @param rootView Whether the command has the sandbox's own root view.
 * @param cwd The requested working directory (a guest path; `null` is `/`).
 * @returns The view.
 */
export function commandView(
  sandboxDir: string,
  rootView: boolean,
  cwd: string | null,
): CommandView {
  const mapped = (path: string | null): string => locateGuestPath(sandboxDir, path).path;
  if (rootView) {
    return { cwd: normalGuestPath(cwd), hostOf: mapped, alternatives: () => [] };
  }
  return { cwd: mapped(cwd), hostOf: (path) => path, alternatives: (path) => [mapped(path)] };
}

/**
 * Checks that the working directory exists and is a directory.
 *
 * @param view The command's view.
 * @param shown The directory as requested, for the message.
 * @returns Why it cannot be used, or `undefined`.
 */
export async function checkCwd(
  view: CommandView,
  shown: string,
): Promise<SpawnFailure | undefined> {
  const hostDir = view.hostOf(view.cwd);
  try {
    const info = await Deno.stat(hostDir);
    if (info.isDirectory) return undefined;
    return failure(
      "bad_cwd",
      ERRNO.ENOTDIR!,
      `cannot change to working directory ${JSON.stringify(shown)}: Not a directory`,
      "chdir",
    );
  } catch (error) {
    const denied = error instanceof Deno.errors.PermissionDenied;
    return failure(
      "bad_cwd",
      denied ? ERRNO.EACCES! : ERRNO.ENOENT!,
      `cannot change to working directory ${JSON.stringify(shown)}: ${
        denied ? "Permission denied" : "No such file or directory"
      }`,
      "chdir",
    );
  }
}
/**
 * Finds the program like `execvp` does and checks that it can run.
 *
 * @param cmd The program as requested.
 * @param path The command's `PATH`.
 * @param view The command's view.
 * @returns The program's path as the command sees it, or why it cannot run.
 */
export async function resolveProgram(
  cmd: string,
  path: string,
  view: CommandView,
): Promise<{ path: string } | { failure: SpawnFailure }> {
  const { cwd } = view;
  const notFound = (): { failure: SpawnFailure } => ({
    failure: failure(
      "not_found",
      ERRNO.ENOENT!,
      `cannot run ${JSON.stringify(cmd)}: No such file or directory`,
      "execvp",
    ),
  });
  if (cmd === "") return notFound();
  let candidates: string[];
  if (cmd.includes("/")) {
    candidates = cmd.startsWith("/") ? [cmd, ...view.alternatives(cmd)] : [`${cwd}/${cmd}`];
  } else {
    candidates = path.split(":").map((dir) =>
      dir === "" ? `${cwd}/${cmd}` : dir.startsWith("/") ? `${dir}/${cmd}` : `${cwd}/${dir}/${cmd}`
    );
  }
  let denied: { failure: SpawnFailure } | undefined;
  for (const candidate of candidates) {
    const problem = await checkProgram(view.hostOf(candidate), cmd);
    if (problem === "missing") continue;
    if (problem === undefined) return { path: candidate };
    if (problem.kind === "not_executable") return { failure: problem };
    denied ??= { failure: problem };
  }
  return denied ?? notFound();
}

async function checkProgram(
  file: string,
  cmd: string,
): Promise<SpawnFailure | "missing" | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(file);
  } catch {
    return "missing";
  }
  if (!info.isFile || ((info.mode ?? 0o755) & 0o111) === 0) {
    return failure(
      "permission_denied",
      ERRNO.EACCES!,
      `cannot run ${JSON.stringify(cmd)}: Permission denied`,
      "execvp",
    );
  }
  let head: Uint8Array;
  try {
    using handle = await Deno.open(file);
    const buffer = new Uint8Array(4);
    const n = await handle.read(buffer);
    head = buffer.subarray(0, n ?? 0);
  } catch {
    return undefined; // Executable but unreadable: let exec decide.
  }
  const shebang = head[0] === 0x23 && head[1] === 0x21;
  const elf = head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
  if (shebang || elf) return undefined;
  return failure(
    "not_executable",
    ERRNO.ENOEXEC!,
    `cannot run ${JSON.stringify(cmd)}: Exec format error`,
    "execvp",
  );
}
