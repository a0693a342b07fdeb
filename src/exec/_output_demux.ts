// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { ExecEvent } from "./exec_options.ts";

/** Bytes each output stream holds unread before the other one waits, as a pipe would. */
const PIPE_BYTES = 256 * 1024;

interface Pipe {
  stream: ReadableStream<Uint8Array>;
  controller: ReadableStreamDefaultController<Uint8Array>;
  cancelled: boolean;
  room?: (() => void) | undefined;
}

/**
 * Splits a process's events into `stdout` and `stderr` streams. One pump reads the events only as
 * fast as the streams are read: a full stream makes it wait, so a slow reader slows the process.
 * Cancelling both streams cancels the events, which kills the process.
 */
export class OutputDemux {
  readonly #events: ReadableStreamDefaultReader<ExecEvent>;
  readonly #stdout: Pipe;
  readonly #stderr: Pipe;
  #pumping = false;

  constructor(events: ReadableStream<ExecEvent>) {
    this.#events = events.getReader();
    this.#stdout = this.#pipe();
    this.#stderr = this.#pipe();
  }

  /** The process's stdout. */
  get stdout(): ReadableStream<Uint8Array> {
    return this.#stdout.stream;
  }

  /** The process's stderr. */
  get stderr(): ReadableStream<Uint8Array> {
    return this.#stderr.stream;
  }

  /** Errors both streams (when the process fails or is killed). */
  fail(error: Error): void {
    for (const pipe of [this.#stdout, this.#stderr]) {
      try {
        pipe.controller.error(error);
      } catch {
        // Already closed or errored.
      }
      pipe.room?.();
    }
  }

  #pipe(): Pipe {
    const pipe = {} as Pipe;
    pipe.cancelled = false;
    pipe.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        pipe.controller = controller;
      },
      pull: () => {
        pipe.room?.();
        pipe.room = undefined;
        this.#pump();
      },
      cancel: async () => {
        pipe.cancelled = true;
        pipe.room?.();
        if (this.#stdout.cancelled && this.#stderr.cancelled) await this.#events.cancel();
      },
    }, new ByteLengthQueuingStrategy({ highWaterMark: PIPE_BYTES }));
    return pipe;
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (;;) {
        const { done, value } = await this.#events.read();
        if (done) break;
        if (value.type === "stdout" || value.type === "stderr") {
          const pipe = value.type === "stdout" ? this.#stdout : this.#stderr;
          if (pipe.cancelled) continue;
          pipe.controller.enqueue(value.data);
          if ((pipe.controller.desiredSize ?? 1) <= 0) {
            await new Promise<void>((resolve) => pipe.room = resolve);
          }
        }
      }
      this.#close();
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #close(): void {
    for (const pipe of [this.#stdout, this.#stderr]) {
      try {
        if (!pipe.cancelled) pipe.controller.close();
      } catch {
        // Already errored.
      }
    }
  }
}
