// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * One entry of the guest filesystem, as `sandbox.fs.stat` and `sandbox.fs.list` return it.
 *
 * @example Reading an entry
 * ```ts
 * import type { FsEntry } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const entry: FsEntry = {
 *   path: "/app/main.py",
 *   kind: "file",
 *   size: 12,
 *   mode: 0o100644,
 *   modified: new Date(0),
 *   uid: 0,
 *   gid: 0,
 * };
 * assert.equal(entry.mode & 0o777, 0o644);
 * ```
 */
export interface FsEntry {
  /** The entry's guest path. */
  path: string;
  /** `file`, `dir`, `symlink` or `other`. */
  kind: "file" | "dir" | "symlink" | "other";
  /** Its size in bytes. */
  size: number;
  /** Its mode bits, the file type included (`mode & 0o777` is the permissions). */
  mode: number;
  /** When it was last modified, when the agent knows. */
  modified: Date | null;
  /** Its owner's uid. */
  uid: number;
  /** Its group's gid. */
  gid: number;
}
