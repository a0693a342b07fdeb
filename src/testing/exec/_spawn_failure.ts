/**
 * Why a command could not start, in agentd's `ExecFailed` terms, and the errno numbers the
 * local cloud reports.
 *
 * @module
 */

/** Why a command could not start: the protocol's `ExecFailed`. */
export interface SpawnFailure {
  /** `not_found`, `permission_denied`, `not_executable`, `bad_cwd`, `resource_limit`, `pty_setup_failed` or `other`. */
  readonly kind: string;
  /** The errno, when one applies. */
  readonly errno: number | null;
  /** Its name, e.g. `ENOENT`. */
  readonly errnoName: string | null;
  /** What happened. */
  readonly message: string;
  /** The step that failed, e.g. `execvp`. */
  readonly stage: string | null;
}

/** The errno numbers the local cloud reports, by name. */
export const ERRNO: Readonly<Record<string, number>> = {
  ENOENT: 2,
  E2BIG: 7,
  ENOEXEC: 8,
  EBADF: 9,
  EACCES: 13,
  ENOTDIR: 20,
  EINVAL: 22,
  EPIPE: 32,
};

/**
 * Builds a spawn failure; the errno's name is looked up unless given.
 *
 * @param kind The `ExecFailed` kind.
 * @param errno The errno, when one applies.
 * @param message What happened.
 * @param stage The step that failed.
 * @param errnoName The errno's name, when it is not one of {@linkcode ERRNO}.
 * @returns The failure.
 */
export function failure(
  kind: string,
  errno: number | null,
  message: string,
  stage: string | null,
  errnoName?: string | null,
): SpawnFailure {
  const name = errnoName !== undefined
    ? errnoName
    : errno === null
    ? null
    : Object.keys(ERRNO).find((key) => ERRNO[key] === errno) ?? null;
  return { kind, errno, errnoName: name, message, stage };
}
