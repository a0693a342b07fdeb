// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { FsOpenOptions } from "../protocol/mod.ts";
import type { SessionLink, WireSession } from "../wire/session_port.ts";
import { dataOf, fsCall, type FsSubject, okData } from "./_fs_call.ts";

/** How the guest filesystem reaches its sandbox's agent; built by the sandbox handle. */
export interface FsRoute {
  /** Throws the generation's `Unsupported` error for `feature` when it has no guest fs. */
  require(feature: string): void;
  /** A session on the sandbox's shared agent socket, for a one-shot operation. */
  session(signal?: AbortSignal): Promise<WireSession>;
  /** A socket of its own, for the sessions of a file handle. */
  link(signal?: AbortSignal): Promise<SessionLink>;
}

/** What the Rust SDK opens a file with: nothing but `read`. */
export const READ_OPTIONS: FsOpenOptions = {
  read: true,
  write: false,
  append: false,
  create: false,
  truncate: false,
  createNew: false,
  mode: null,
};

/** What the Rust SDK writes a file with: `write`, `create`, `truncate`. */
export const WRITE_OPTIONS: FsOpenOptions = {
  read: false,
  write: true,
  append: false,
  create: true,
  truncate: true,
  createNew: false,
  mode: null,
};

/** Opens `subject.path` on the link; resolves to the handle. */
export async function openHandle(
  link: SessionLink,
  subject: FsSubject,
  options: FsOpenOptions,
): Promise<number | bigint> {
  const response = await fsCall(link.open(), { OpenFile: { path: subject.path, options } });
  return dataOf(response, subject, "Handle");
}

/** Closes a handle on the link. */
export async function closeHandle(
  link: SessionLink,
  subject: FsSubject,
  handle: number | bigint,
): Promise<void> {
  okData(await fsCall(link.open(), { CloseHandle: { handle } }), subject);
}
