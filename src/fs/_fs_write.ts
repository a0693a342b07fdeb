// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// A guest file written from a string, bytes, a `Blob` or a `ReadableStream`: `OpenFile` (write,
// create, truncate) then `Write` on a socket of its own, the data as `core.fs.data` chunks of at
// most 3 MiB, each sent once the socket took the one before, then the empty chunk (EOF), the
// agent's answer, and `CloseHandle`. An abort or a failure closes the socket, and the agent
// closes the socket's handle with it.

import type { SessionLink, WireSession } from "../wire/session_port.ts";
import { fsCall, type FsSubject, okData } from "./_fs_call.ts";
import { closeHandle, type FsRoute, openHandle, WRITE_OPTIONS } from "./_fs_route.ts";

/** What `writeFile` takes. */
export type FsWriteData = string | Uint8Array | Blob | ReadableStream<Uint8Array>;

/** The most bytes one `core.fs.data` message carries (`FS_CHUNK_SIZE`, 3 MiB). */
export const FS_CHUNK_SIZE = 3 * 1024 * 1024;

/**
 * Writes `data` to `subject.path`.
 *
 * @param route The sandbox's agent.
 * @param subject The operation and path.
 * @param data The contents.
 * @param signal Aborts the write.
 */
export async function writeFrom(
  route: FsRoute,
  subject: FsSubject,
  data: FsWriteData,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const len = bytes instanceof Uint8Array
    ? bytes.byteLength
    : bytes instanceof Blob
    ? bytes.size
    : null;
  // The source is ours from here: cancelled on every way out, read to its end on success.
  const source = bytes instanceof Uint8Array
    ? undefined
    : (bytes instanceof Blob ? bytes.stream() : bytes).getReader();
  let link: SessionLink | undefined;
  const onAbort = () => link?.close();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    link = await route.link(signal);
    const handle = await openHandle(link, subject, WRITE_OPTIONS);
    const response = await fsCall(link.open(), { Write: { handle, offset: 0, len } }, {
      feed: async (session, answered) => {
        if (bytes instanceof Uint8Array) await sendChunks(session, bytes, answered);
        else {
          for (;;) {
            const { done, value } = await source!.read();
            if (done) break;
            await sendChunks(session, value, answered);
          }
        }
        if (!answered.aborted) await session.send("core.fs.data", { data: new Uint8Array() });
      },
    });
    okData(response, subject);
    await closeHandle(link, subject, handle);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    link?.close();
    source?.cancel().catch(() => {});
  }
}

async function sendChunks(
  session: WireSession,
  bytes: Uint8Array,
  answered: AbortSignal,
): Promise<void> {
  for (let at = 0; at < bytes.byteLength && !answered.aborted; at += FS_CHUNK_SIZE) {
    await session.send("core.fs.data", { data: bytes.subarray(at, at + FS_CHUNK_SIZE) });
  }
}
