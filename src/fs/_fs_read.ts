// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// A guest file as a `ReadableStream`: `OpenFile` then `Read` to the end (or one `Read` per window
// of `readAhead` bytes, each sent once the reader took the one before) on a socket of its own,
// each `core.fs.data` chunk handed on only as fast as the reader takes it (the socket waits
// meanwhile), then `CloseHandle`. A cancel, an abort or a failure closes the socket, and the
// agent closes the socket's handle with it.

import type { SessionLink } from "../wire/session_port.ts";
import { fsCall, type FsSubject, okData } from "./_fs_call.ts";
import { closeHandle, type FsRoute, openHandle, READ_OPTIONS } from "./_fs_route.ts";

/** Which bytes of a file a read streams. */
export interface FsReadSpan {
  /** The byte offset to start at; 0 by default. */
  offset?: number | undefined;
  /** The most bytes to read; to the end of the file by default. */
  length?: number | undefined;
  /** Read in requests of at most this many bytes, each once the one before was taken. */
  window?: number | undefined;
}

/**
 * Streams the file at `subject.path`.
 *
 * @param route The sandbox's agent.
 * @param subject The operation and path.
 * @param signal Aborts the read (the stream errors with its reason).
 * @param span Where to start (byte offset, 0 by default) and how many bytes at most (to the end
 * by default).
 * @returns The bytes.
 */
export function readStream(
  route: FsRoute,
  subject: FsSubject,
  signal?: AbortSignal,
  span: FsReadSpan = {},
): ReadableStream<Uint8Array> {
  let link: SessionLink | undefined;
  let ended = false;
  let demand: (() => void) | undefined;
  const end = () => {
    ended = true;
    link?.close();
    demand?.();
    signal?.removeEventListener("abort", onAbort);
  };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const onAbort = () => {
    if (ended) return;
    controller.error(signal!.reason);
    end();
  };

  async function pump(): Promise<void> {
    link = await route.link(signal);
    if (ended) return link.close();
    const handle = await openHandle(link, subject, READ_OPTIONS);
    let offset = span.offset ?? 0;
    let left = span.length ?? Infinity;
    for (;;) {
      const len = span.window === undefined ? span.length ?? null : Math.min(span.window, left);
      let got = 0;
      const response = await fsCall(link.open(), { Read: { handle, offset, len } }, {
        onData: async (data) => {
          if (ended || data.byteLength === 0) return;
          got += data.byteLength;
          controller.enqueue(data);
          if ((controller.desiredSize ?? 0) > 0) return;
          await new Promise<void>((resolve) => demand = resolve);
          demand = undefined;
        },
      });
      if (ended) return;
      okData(response, subject);
      offset += got;
      left -= got;
      if (len === null || got < len || left === 0) break;
    }
    await closeHandle(link, subject, handle);
    if (ended) return;
    controller.close();
    end();
  }

  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (signal?.aborted) {
        ended = true;
        controller.error(signal.reason);
        return;
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      pump().catch((error) => {
        if (ended) return;
        controller.error(error);
        end();
      });
    },
    pull() {
      demand?.();
    },
    cancel() {
      end();
    },
  }, { highWaterMark: 0 });
}
