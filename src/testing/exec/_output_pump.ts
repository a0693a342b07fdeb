/**
 * Reading a command's output pipes: one {@linkcode Pump} per pipe hands chunks to the sink, one
 * at a time, and {@linkcode drainPipes} waits until every pipe has reached EOF, which is when a
 * command's output is complete.
 *
 * @module
 */

/** Which pipe a chunk of output came from (`stdout` only, under a terminal). */
export type OutputStream = "stdout" | "stderr";

/**
 * Takes one chunk of output (at most {@linkcode MAX_CHUNK} bytes). The pipe is not read again
 * until the returned promise settles, so a slow consumer slows the command down.
 */
export type OutputSink = (stream: OutputStream, data: Uint8Array) => Promise<void>;

/** The largest chunk handed to the sink: output frames stay within 64 KiB of data. */
export const MAX_CHUNK = 64 * 1024;

/**
 * Only where a command's leftovers can outlive it (no pid namespace, no reaper): how long a
 * pipe may stay silent after the command ended before it is abandoned as held by an escaped
 * child.
 */
export const ESCAPED_IDLE_MS = 2000;

/**
 * Everywhere else nothing the command started outlives it, so a pipe reaches EOF as soon as its
 * buffer is read, however busy the machine; this is only a guard against a holder the chain
 * failed to end (a hang would be worse): a pipe silent this long after the exit is abandoned.
 */
export const STRAY_IDLE_MS = 10_000;

/** Reads one pipe into the sink, one chunk at a time, until EOF. */
export class Pump {
  /** Resolves at EOF (or when the pipe failed, the sink gave up or the pump was cancelled). */
  readonly done: Promise<void>;
  /** Whether it is waiting for the pipe (not for the sink). */
  reading = false;
  /** `performance.now()` of the last chunk read. */
  lastData: number = performance.now();
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;

  /**
   * Starts reading.
   *
   * @param stream The pipe.
   * @param name Which output it is.
   * @param sink Takes the chunks.
   */
  constructor(stream: ReadableStream<Uint8Array>, name: OutputStream, sink: OutputSink) {
    this.#reader = stream.getReader();
    this.done = this.#run(name, sink);
  }

  /** Stops reading: what is still in the pipe is lost. */
  cancel(): void {
    this.#reader.cancel().catch(() => {});
  }

  async #run(name: OutputStream, sink: OutputSink): Promise<void> {
    try {
      while (true) {
        this.reading = true;
        const { done, value } = await this.#reader.read();
        this.reading = false;
        if (done) break;
        this.lastData = performance.now();
        for (let at = 0; at < value.length; at += MAX_CHUNK) {
          await sink(name, value.subarray(at, at + MAX_CHUNK));
        }
      }
    } catch {
      // The pipe failed or the sink gave up: stop reading.
    } finally {
      this.reading = false;
      this.#reader.releaseLock();
    }
  }
}

/**
 * Waits until every pipe has reached EOF after the command exited. A pipe that stays silent
 * (waiting for data, not for the sink) for `idleBound` after the exit is abandoned: something
 * that outlived the command holds it open. A pipe that delivers is never abandoned.
 *
 * @param pumps The pipes.
 * @param exitedAt `performance.now()` when the command exited.
 * @param idleBound Milliseconds: {@linkcode ESCAPED_IDLE_MS} or {@linkcode STRAY_IDLE_MS}.
 * @returns A promise that resolves once every pipe is done.
 */
export async function drainPipes(
  pumps: readonly Pump[],
  exitedAt: number,
  idleBound: number,
): Promise<void> {
  const all = Promise.all(pumps.map((pump) => pump.done));
  let finished = false;
  all.then(() => finished = true);
  while (!finished) {
    const tick = new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.race([all, tick]);
    const now = performance.now();
    for (const pump of pumps) {
      const idle = now - Math.max(pump.lastData, exitedAt);
      if (pump.reading && idle > idleBound) pump.cancel();
    }
  }
}
