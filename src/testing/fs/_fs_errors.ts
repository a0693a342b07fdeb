/**
 * The agent's words for a failed filesystem call: `<step>: <the OS error as Rust prints it>`,
 * such as `stat: No such file or directory (os error 2)` (agentd formats every `FsResponse`
 * error so). The host path never shows: only the OS's own text and number are kept.
 *
 * @module
 */

/** An OS error the local cloud raises itself, with the text and number Linux gives it. */
export class GuestOsError extends Error {
  /**
   * @param text The OS's text, such as `Read-only file system`.
   * @param errno Its number, such as 30.
   */
  constructor(text: string, errno: number) {
    super(`${text} (os error ${errno})`);
    this.name = "GuestOsError";
  }
}

/** `EROFS`: a write under one of the host's system directories. */
export const readOnly = (): GuestOsError => new GuestOsError("Read-only file system", 30);
/** `ELOOP`: too many symbolic links while resolving a path. */
export const tooManyLinks = (): GuestOsError =>
  new GuestOsError("Too many levels of symbolic links", 40);
/** `ENOTDIR`. */
export const notADirectory = (): GuestOsError => new GuestOsError("Not a directory", 20);
/** `EISDIR`. */
export const isADirectory = (): GuestOsError => new GuestOsError("Is a directory", 21);
/** `EINVAL`. */
export const invalidArgument = (): GuestOsError => new GuestOsError("Invalid argument", 22);

/**
 * The `error` of an `FsResponse` for a failed step.
 *
 * @param step The agent's name of the step: `stat`, `open`, `readdir`, `remove_dir`, …
 * @param error What the runtime threw.
 * @returns Such as `open: Is a directory (os error 21)`.
 */
export function agentError(step: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const os = /^(.*?\(os error \d+\))/.exec(message)?.[1];
  return `${step}: ${os ?? message.split(":")[0]}`;
}
