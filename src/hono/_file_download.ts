// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// `GET /:name/files/*`: a file streamed from the sandbox as the client reads it, never held
// whole. Its bytes are served as `application/octet-stream`, as an attachment, with `nosniff`:
// they are whatever the sandbox wrote, and served as `text/html` from the app's origin they
// would run as the app's own page.

import type { SandboxFs } from "../fs/sandbox_fs.ts";
import { type ByteSpan, byteSpan, unsatisfiable } from "./_byte_range.ts";
import { RouteError } from "./errors.ts";

/**
 * How far the sandbox is asked ahead of the HTTP client: Deno's WebSocket cannot slow the agent
 * down, so without a bound a slow client would make the server hold the rest of the file.
 */
export const READ_AHEAD_BYTES = 8 * 1024 * 1024;

/**
 * The answer to a download of `path`: 200 with the whole file, 206 with the bytes of a
 * satisfiable `Range`, 416 for one that selects none; headers only for `HEAD`. The read in the
 * sandbox stops when `signal` aborts (the client went away).
 */
export async function download(
  fs: SandboxFs,
  path: string,
  request: Request,
  signal: AbortSignal,
): Promise<Response> {
  const entry = await fs.stat(path, { signal });
  if (entry.kind === "dir") {
    throw new RouteError("conflict", "This path is a directory; list it with ?list.", {
      kind: "is_a_directory",
    });
  }
  const headers = fileHeaders(path, entry.modified);
  let span: ByteSpan | undefined;
  if (entry.kind === "file") {
    headers.set("accept-ranges", "bytes");
    const range = rangeApplies(request, headers) ? request.headers.get("range") : null;
    const selected = byteSpan(range, entry.size);
    if (selected === null) return unsatisfiable(entry.size);
    span = selected;
    headers.set("content-length", String(span?.length ?? entry.size));
    if (span) {
      const last = span.offset + span.length - 1;
      headers.set("content-range", `bytes ${span.offset}-${last}/${entry.size}`);
    }
  }
  const status = span ? 206 : 200;
  if (request.method === "HEAD") return new Response(null, { status, headers });
  const body = fs.readFile(path, {
    offset: span?.offset,
    length: span?.length,
    readAhead: READ_AHEAD_BYTES,
  });
  return new Response(untilAborted(body, signal), { status, headers });
}

/**
 * `source` pulled as the client reads, cancelled (the response ended, not errored: the client
 * is gone) when `signal` aborts, even before the response is made; a failed read errors it.
 */
function untilAborted(
  source: ReadableStream<Uint8Array>,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const onAbort = () => reader.cancel(signal.reason).catch(() => {});
  signal.addEventListener("abort", onAbort, { once: true });
  // A listener added to a signal that has already aborted never runs.
  if (signal.aborted) onAbort();
  const stop = () => signal.removeEventListener("abort", onAbort);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (!done) return controller.enqueue(value);
      stop();
      controller.close();
    },
    cancel(reason) {
      stop();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/** The headers of every download: what the bytes are, and that they are not a page. */
function fileHeaders(path: string, modified: Date | null): Headers {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const headers = new Headers({
    "content-type": "application/octet-stream",
    "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
  });
  if (modified) headers.set("last-modified", modified.toUTCString());
  return headers;
}

/** Whether `Range` applies: always without `If-Range`, else only if it names this version. */
function rangeApplies(request: Request, headers: Headers): boolean {
  const ifRange = request.headers.get("if-range");
  return ifRange === null || ifRange === headers.get("last-modified");
}
