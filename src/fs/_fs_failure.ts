// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The agent says why a filesystem operation failed in words: `<step>: <the OS error as Rust
// prints it>`, such as `open: No such file or directory (os error 2)`. The OS error number is
// the reliable part; it decides the kind.

import { SandboxFsOpsError, type SandboxFsOpsErrorKind } from "../errors.ts";

/** Linux errno → kind. */
const KINDS: ReadonlyMap<number, SandboxFsOpsErrorKind> = new Map([
  [2, "not_found"],
  [21, "is_a_directory"],
  [20, "not_a_directory"],
  [1, "permission_denied"],
  [13, "permission_denied"],
  [17, "already_exists"],
  [39, "directory_not_empty"],
  [30, "read_only"],
  [22, "invalid_input"],
  [28, "no_space"],
]);

/**
 * The typed error of an `FsResponse` that failed.
 *
 * @param operation Ours, such as `readFile`.
 * @param path The guest path it acted on.
 * @param agentError The response's `error`.
 * @returns The error to throw.
 */
export function fsFailure(
  operation: string,
  path: string,
  agentError: string | null,
): SandboxFsOpsError {
  const said = agentError ?? "the agent gave no reason";
  const errnoText = /\(os error (\d+)\)\s*$/.exec(said)?.[1];
  const errno = errnoText === undefined ? null : Number(errnoText);
  const failureKind = (errno !== null && KINDS.get(errno)) || "other";
  return new SandboxFsOpsError(`sandbox fs error: ${operation} ${path}: ${said}`, {
    path,
    failureKind,
    errno,
  });
}
