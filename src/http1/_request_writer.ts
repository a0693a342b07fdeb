// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { prepareBody, type PreparedBody, read, RequestBodyError } from "./_request_body.ts";
import { type RequestFraming, requestHead } from "./_request_head.ts";

const CRLF = new Uint8Array([13, 10]);
const LAST_CHUNK = new Uint8Array([48, 13, 10, 13, 10]);
const encoder = new TextEncoder();

/**
 * Writes `request` to `writable`: its head, then its body as the framing says, one chunk at a
 * time, each write awaited (so a slow socket slows the body's reader). The body stream's own
 * failures, and a body that does not match its declared `Content-Length`, reject with a
 * {@linkcode RequestBodyError}; the socket's reject as they are. The writable stays open: a
 * half-close would make some servers drop the connection before they answer.
 */
export async function writeRequest(
  writable: WritableStream<Uint8Array>,
  request: Request,
): Promise<void> {
  const body = await prepareBody(request);
  const writer = writable.getWriter();
  try {
    await writer.write(requestHead(request, body.framing));
    await writeBody(writer, body);
  } catch (error) {
    await body.rest?.cancel(error).catch(() => {});
    throw error;
  } finally {
    writer.releaseLock();
  }
}

async function writeBody(
  writer: WritableStreamDefaultWriter<Uint8Array>,
  { framing, ahead, rest }: PreparedBody,
): Promise<void> {
  let sent = 0;
  const send = async (chunk: Uint8Array) => {
    if (chunk.length === 0) return;
    sent += chunk.length;
    if (typeof framing === "number" && sent > framing) throw mismatch(framing, sent);
    await writer.write(framing === "chunked" ? chunkOf(chunk) : chunk);
  };
  for (const chunk of ahead) await send(chunk);
  while (rest !== undefined) {
    const { value, done } = await read(rest);
    if (done) break;
    await send(value);
  }
  if (typeof framing === "number" && sent !== framing) throw mismatch(framing, sent);
  if (framing === "chunked") await writer.write(LAST_CHUNK);
}

function chunkOf(data: Uint8Array): Uint8Array {
  const size = encoder.encode(data.length.toString(16));
  const chunk = new Uint8Array(size.length + 2 + data.length + 2);
  chunk.set(size);
  chunk.set(CRLF, size.length);
  chunk.set(data, size.length + 2);
  chunk.set(CRLF, chunk.length - 2);
  return chunk;
}

function mismatch(declared: RequestFraming, sent: number): RequestBodyError {
  const size = sent > Number(declared) ? `more than ${declared}` : `${sent}`;
  return new RequestBodyError(
    new TypeError(`The request body has ${size} bytes, not its Content-Length of ${declared}`),
  );
}
