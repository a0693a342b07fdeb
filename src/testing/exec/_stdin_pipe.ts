/**
 * A command's stdin as the protocol drives it: writes applied in call order, each settled once
 * the pipe has taken its bytes; an empty chunk closes stdin (nothing, under a terminal); write
 * failures come back as the protocol's `ExecStdinError` fields.
 *
 * @module
 */

import { ERRNO } from "./_spawn_failure.ts";

/** Why a stdin write failed: the protocol's `ExecStdinError`. */
export interface StdinFailure {
  /** The errno, when known. */
  readonly errno: number | null;
  /** Its name, e.g. `EPIPE`. */
  readonly errnoName: string | null;
  /** What happened. */
  readonly message: string;
}

/** The write end of one command's stdin. */
export class StdinPipe {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #tty: boolean;
  #closed = false;
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * Takes the pipe.
   *
   * @param stdin The child's stdin.
   * @param tty Whether the command runs under a terminal (an empty chunk then closes nothing).
   */
  constructor(stdin: WritableStream<Uint8Array>, tty: boolean) {
    this.#writer = stdin.getWriter();
    this.#writer.closed.catch(() => {});
    this.#tty = tty;
  }

  /**
   * Writes to the command's stdin, waiting until the pipe has taken the bytes. An empty chunk
   * closes stdin (nothing, under a terminal). Writes are applied in call order.
   *
   * @param data The bytes.
   * @returns `undefined`, or why the write failed.
   */
  write(data: Uint8Array): Promise<StdinFailure | undefined> {
    const result = this.#queue.then(() => this.#write(data));
    this.#queue = result;
    return result;
  }

  /**
   * Refuses further writes, waits for those queued, then drops the pipe (the command has ended).
   *
   * @returns A promise that resolves once the pipe is released.
   */
  async end(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    try {
      await this.#writer.abort();
    } catch {
      // Already closed.
    }
  }

  async #write(data: Uint8Array): Promise<StdinFailure | undefined> {
    if (data.length === 0) {
      if (this.#tty || this.#closed) return undefined;
      this.#closed = true;
      try {
        await this.#writer.close();
      } catch {
        // The command closed its end first: nothing to do.
      }
      return undefined;
    }
    if (this.#closed) {
      return { errno: ERRNO.EBADF!, errnoName: "EBADF", message: "stdin is closed" };
    }
    try {
      await this.#writer.write(data);
      return undefined;
    } catch (error) {
      return stdinError(error);
    }
  }
}

function stdinError(error: unknown): StdinFailure {
  const message = `cannot write to stdin: ${(error as Error)?.message ?? error}`;
  if (error instanceof Deno.errors.BrokenPipe) {
    return { errno: ERRNO.EPIPE!, errnoName: "EPIPE", message };
  }
  if (error instanceof Deno.errors.BadResource || error instanceof TypeError) {
    return { errno: ERRNO.EBADF!, errnoName: "EBADF", message };
  }
  return { errno: null, errnoName: null, message };
}
