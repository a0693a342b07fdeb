// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { RequestFraming } from "./_request_head.ts";

/** The most bytes read ahead to learn a body's length before choosing chunked: 64 KiB. */
export const BODY_PEEK = 64 * 1024;
/** Methods whose request says `Content-Length: 0` when it has no body, as `fetch` does. */
const EXPECT_BODY = new Set(["POST", "PUT", "PATCH"]);

/** A request body ready to write: its framing, the bytes read ahead, and the rest. */
export interface PreparedBody {
  /** How the body is delimited. */
  framing: RequestFraming;
  /** Chunks already read, in order. */
  ahead: Uint8Array[];
  /** The reader of what is left, when the body did not end within the read-ahead. */
  rest: ReadableStreamDefaultReader<Uint8Array> | undefined;
}

/** An error of the request's own body stream, as opposed to the socket. */
export class RequestBodyError extends Error {
  /** Wraps the body stream's error. */
  constructor(cause: unknown) {
    super("the request body stream failed", { cause });
  }
}

/**
 * Learns how to frame the body of `request`: a `Content-Length` field the caller set is kept (and
 * checked when writing); a body that ends within {@linkcode BODY_PEEK} bytes gets its length;
 * a longer one is sent chunked; no body is `none` (or length 0 for POST, PUT and PATCH).
 */
export async function prepareBody(request: Request): Promise<PreparedBody> {
  const declared = declaredLength(request.headers.get("content-length"));
  if (request.body === null) {
    const framing = EXPECT_BODY.has(request.method) ? 0 : "none";
    return { framing: declared ?? framing, ahead: [], rest: undefined };
  }
  const reader = request.body.getReader();
  if (declared !== undefined) return { framing: declared, ahead: [], rest: reader };
  const ahead: Uint8Array[] = [];
  let size = 0;
  while (size <= BODY_PEEK) {
    const { value, done } = await read(reader);
    if (done) return { framing: size, ahead, rest: undefined };
    ahead.push(value);
    size += value.length;
  }
  return { framing: "chunked", ahead, rest: reader };
}

/** The next chunk of the body, its errors marked as {@linkcode RequestBodyError}. */
export async function read(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch (error) {
    throw new RequestBodyError(error);
  }
}

function declaredLength(value: string | null): number | undefined {
  if (value === null || !/^[0-9]{1,15}$/.test(value)) return undefined;
  return Number(value);
}
