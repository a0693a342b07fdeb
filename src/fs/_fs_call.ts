// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// One `core.fs.request` session: the request out, and its terminal `core.fs.response` back
// (the `core.fs.data` of a read before it go to the caller's `onData`).

import { ConnectionError, ProtocolError } from "../errors.ts";
import type { DecodedMessage, FsEntryInfo, FsOp, FsResponse } from "../protocol/mod.ts";
import type { WireSession } from "../wire/session_port.ts";
import type { FsEntry } from "./fs_entry.ts";
import { fsFailure } from "./_fs_failure.ts";

/** What a call acts on, for its errors. */
export interface FsSubject {
  /** Our operation, such as `readFile`. */
  operation: string;
  /** The guest path. */
  path: string;
}

/** What a call streams besides its request and response. */
export interface FsCallStreams {
  /** Takes each `core.fs.data` chunk before the response; may wait (backpressure). */
  onData?: (data: Uint8Array) => void | Promise<void>;
  /**
   * Sends what follows the request (a write's chunks); `answered` aborts once the response came
   * early (the agent failed the write).
   */
  feed?: (session: WireSession, answered: AbortSignal) => Promise<void>;
}

/**
 * Sends `op` on `session` and reads up to its terminal response; the session is closed after.
 *
 * @param session A fresh session.
 * @param op The operation.
 * @param streams The data of a read or a write.
 * @returns The response.
 */
export async function fsCall(
  session: WireSession,
  op: FsOp,
  streams: FsCallStreams = {},
): Promise<FsResponse> {
  const reader = session.messages.getReader();
  try {
    await session.send("core.fs.request", { op });
    const answer = readAnswer(reader, op, streams.onData);
    if (streams.feed) {
      const answered = new AbortController();
      answer.then(() => answered.abort(), () => answered.abort());
      await Promise.race([streams.feed(session, answered.signal), answer]);
    }
    return await answer;
  } finally {
    reader.releaseLock();
    session.close();
  }
}

async function readAnswer(
  reader: ReadableStreamDefaultReader<DecodedMessage>,
  op: FsOp,
  onData: FsCallStreams["onData"],
): Promise<FsResponse> {
  {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        throw new ConnectionError(
          `sandbox fs: the agent socket ended before the answer to ${Object.keys(op)[0]}`,
        );
      }
      if (value.unknown) continue;
      if (value.type === "core.fs.response") return value.payload;
      if (value.type === "core.fs.data" && onData) await onData(value.payload.data);
      else if (value.type === "core.error") {
        throw new ProtocolError(
          `sandbox fs: the agent refused ${Object.keys(op)[0]}: ${value.payload.message}`,
        );
      }
    }
  }
}

/** The response's data, or its typed error. */
export function okData(response: FsResponse, subject: FsSubject): FsResponse["data"] {
  if (!response.ok) throw fsFailure(subject.operation, subject.path, response.error);
  return response.data;
}

/** The value of a response that must hold `variant`. */
export function dataOf<K extends "Stat" | "List" | "Handle" | "Path">(
  response: FsResponse,
  subject: FsSubject,
  variant: K,
): Extract<NonNullable<FsResponse["data"]>, Record<K, unknown>>[K] {
  const data = okData(response, subject) as Record<string, unknown> | null;
  if (data === null || !(variant in data)) {
    throw new ProtocolError(
      `sandbox fs: ${subject.operation} ${subject.path}: the agent's answer holds no ${variant}`,
    );
  }
  return data[variant] as never;
}

const KINDS = new Set(["file", "dir", "symlink", "other"]);

/** The entry of an `FsEntryInfo`. */
export function fsEntryOf(info: FsEntryInfo): FsEntry {
  const seconds = info.modified ?? info.mtime;
  return {
    path: info.path,
    kind: KINDS.has(info.kind) ? info.kind as FsEntry["kind"] : "other",
    size: Number(info.size),
    mode: info.mode,
    modified: seconds === null ? null : new Date(Number(seconds) * 1000),
    uid: info.uid,
    gid: info.gid,
  };
}
