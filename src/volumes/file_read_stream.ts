// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { concatBytes } from "../_concat.ts";

/** Opens the bytes of a file; `signal` aborts the request behind them. */
export type OpenFile = (signal: AbortSignal) => Promise<ReadableStream<Uint8Array>>;

/**
 * The content of a file as a `ReadableStream<Uint8Array>`, plus `bytes()` and `text()` for when
 * the whole of it is wanted. Nothing is requested until the first read; each read pulls one chunk
 * from the network, so a slow reader slows the download and memory stays bounded. A failure to
 * open (such as a file that does not exist) rejects the first read; cancelling the stream aborts
 * the request.
 *
 * @example Three ways to read a file
 * ```ts
 * import { FileReadStream } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const open = () => Promise.resolve(ReadableStream.from([new TextEncoder().encode("hi\n")]));
 * assert.equal(await new FileReadStream(open).text(), "hi\n");
 * assert.deepEqual(await new FileReadStream(open).bytes(), new TextEncoder().encode("hi\n"));
 * for await (const chunk of new FileReadStream(open)) assert.equal(chunk.byteLength, 3);
 * ```
 */
export class FileReadStream extends ReadableStream<Uint8Array> {
  /**
   * Builds the stream over `open`, called on the first read.
   *
   * @param open Opens the file's bytes.
   * @param signal Aborts the read; the stream then errors with the signal's reason.
   */
  constructor(open: OpenFile, signal?: AbortSignal) {
    const aborter = new AbortController();
    const combined = signal ? AbortSignal.any([signal, aborter.signal]) : aborter.signal;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    // An abort cancels the body itself: Deno stops acting on a fetch's abort once its Response is
    // garbage collected, and only the body is kept here.
    combined.addEventListener("abort", () => void reader?.cancel(combined.reason).catch(() => {}), {
      once: true,
    });
    super({
      async pull(controller) {
        reader ??= (await open(combined)).getReader();
        const { done, value } = await reader.read();
        if (combined.aborted) throw combined.reason;
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel(reason) {
        aborter.abort(reason);
        await reader?.cancel(reason).catch(() => {});
      },
    }, { highWaterMark: 0 });
  }

  /**
   * Reads the whole file.
   *
   * @returns Its bytes.
   */
  async bytes(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this) chunks.push(chunk);
    return concatBytes(chunks);
  }

  /**
   * Reads the whole file as UTF-8 (bad sequences become U+FFFD).
   *
   * @returns Its text.
   */
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }
}
