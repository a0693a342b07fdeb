// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ConnectionError } from "../errors.ts";
import type { Http1ResponseHead } from "./http1_response_head.ts";
import { Http1ResponseParser } from "./http1_response_parser.ts";

/** What the reader needs from the exchange. */
export interface ResponseReaderOptions {
  /** The request's method (no body in the answer to HEAD). */
  method: string;
  /** The head limit of the parser. */
  maxHeadSize: number;
  /** The error that ended the exchange (an abort, the request body's failure), if any. */
  failure(): unknown;
  /** Closes the socket; called once the response ends, fails or its body is cancelled. */
  close(): void;
}

/** A response head and the stream of its body, read as the body's reader pulls. */
export interface ResponseRead {
  /** The final head. */
  head: Http1ResponseHead;
  /** The body: a stream that reads one socket chunk per pull, or null when it is complete. */
  body: ReadableStream<Uint8Array> | null;
}

/**
 * Reads the response from `readable`: the socket is read until the final head is in, then the
 * body's stream reads the socket only when its own reader pulls, one chunk at a time, handing
 * out views of the socket's chunks. Errors: the parser's `ProtocolError`, a socket failure as a
 * `ConnectionError`, or the exchange's own failure when there is one. An error in the bytes
 * after the head is the body's, even when it came in the same read as the head.
 */
export async function readResponse(
  readable: ReadableStream<Uint8Array>,
  options: ResponseReaderOptions,
): Promise<ResponseRead> {
  const reader = readable.getReader();
  let head: Http1ResponseHead | undefined;
  let ended = false;
  let sink: (bytes: Uint8Array) => void;
  const early: Uint8Array[] = [];
  sink = (bytes) => early.push(bytes);
  const parser = new Http1ResponseParser({
    onHead: (h) => head = h,
    onBody: (bytes) => sink(bytes),
    onEnd: () => ended = true,
  }, options);
  const step = async () => {
    const next = await readChunk(reader, options);
    if (next.done) parser.end();
    else parser.feed(next.value);
  };
  let late: { error: unknown } | undefined;
  try {
    while (head === undefined) await step();
  } catch (error) {
    options.close();
    if (head === undefined) throw error;
    late = { error };
  }
  if (ended && early.length === 0) {
    options.close();
    return { head, body: null };
  }
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    controller.close();
    options.close();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const bytes of early) controller.enqueue(bytes);
      sink = (bytes) => controller.enqueue(bytes);
      if (ended) finish(controller);
    },
    async pull(controller) {
      if (late !== undefined) throw late.error;
      try {
        let enqueued = false;
        sink = (bytes) => (controller.enqueue(bytes), enqueued = true);
        while (!enqueued && !ended) await step();
        if (ended) finish(controller);
      } catch (error) {
        options.close();
        throw error;
      }
    },
    cancel() {
      options.close();
    },
  }, { highWaterMark: 0 });
  return { head, body };
}

async function readChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  options: ResponseReaderOptions,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  let next: ReadableStreamReadResult<Uint8Array>;
  try {
    next = await reader.read();
  } catch (cause) {
    throw options.failure() ??
      new ConnectionError("The connection failed while reading the HTTP/1.1 response", { cause });
  }
  const failure = options.failure();
  if (failure !== undefined) throw failure;
  return next;
}
