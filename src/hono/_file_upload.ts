// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// `PUT /:name/files/*`: the request body streamed into a temporary file next to the target,
// counted while it is read, then renamed over the target. A body over the limit, a client that
// goes away or a failed write aborts the write in the sandbox and removes the temporary file:
// the target keeps what it had, and no partial file is left under its name.

import type { SandboxFs } from "../fs/sandbox_fs.ts";
import { byteLimit } from "./_body.ts";

/**
 * The size of the pieces an upload is sent to the sandbox in. An HTTP body arrives in pieces of
 * 16 to 64 KiB, and each piece sent alone costs a message and a wait for the socket.
 */
const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/** How long the clean-up of a failed upload may take. */
const CLEANUP_MS = 30_000;

/** Streams `request`'s body into `path`, at most `limit` bytes of it. */
export async function upload(
  fs: SandboxFs,
  path: string,
  request: Request,
  limit: number,
  signal: AbortSignal,
): Promise<void> {
  const temporary = `${path.slice(0, path.lastIndexOf("/"))}/.msb-upload-${randomHex()}`;
  const body = (request.body ?? ReadableStream.from<Uint8Array>([]))
    .pipeThrough(byteLimit(limit))
    .pipeThrough(coalesce(UPLOAD_CHUNK_BYTES));
  try {
    await fs.writeFile(temporary, body, { signal });
    await fs.rename(temporary, path, { signal });
  } catch (error) {
    await fs.remove(temporary, { signal: AbortSignal.timeout(CLEANUP_MS) }).catch(() => {});
    throw error;
  }
}

/** Joins small chunks into chunks of `size` bytes (the last one shorter); holds one at most. */
function coalesce(size: number): TransformStream<Uint8Array, Uint8Array> {
  let buffer = new Uint8Array(size);
  let filled = 0;
  return new TransformStream({
    transform(chunk, controller) {
      for (let at = 0; at < chunk.byteLength;) {
        const taken = Math.min(size - filled, chunk.byteLength - at);
        buffer.set(chunk.subarray(at, at + taken), filled);
        filled += taken;
        at += taken;
        if (filled < size) continue;
        controller.enqueue(buffer);
        buffer = new Uint8Array(size);
        filled = 0;
      }
    },
    flush(controller) {
      if (filled > 0) controller.enqueue(buffer.subarray(0, filled));
    },
  });
}

function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
