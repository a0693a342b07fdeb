// What a process retains (V8 heap and ArrayBuffers) after a full GC, so garbage not yet collected
// does not count; needs `--v8-flags=--expose-gc`. Shared by the large-file helpers.

const gc = (globalThis as unknown as { gc?: () => void }).gc;

/** Bytes retained now. */
export function retained(): number {
  if (!gc) throw new Error("run with --v8-flags=--expose-gc");
  gc();
  const { heapUsed, external } = Deno.memoryUsage();
  return heapUsed + external;
}

/** The peak growth of what is retained over a baseline taken now, sampled on each `sample()`. */
export class RetainedPeak {
  readonly #baseline = retained();
  #peak = this.#baseline;

  /** Measures once. */
  sample(): void {
    this.#peak = Math.max(this.#peak, retained());
  }

  /** The peak growth so far, in MiB with one decimal. */
  growthMib(): string {
    return ((this.#peak - this.#baseline) / 1024 / 1024).toFixed(1);
  }
}
