// The hang detector: every operation of every client runs under a deadline. One that passes it is
// a hang, recorded with what hung and where it was, then aborted so the soak carries on.

import type { Failures } from "./_failures.ts";

/** Where an operation is, for the report of a hang: updated by the operation as it goes. */
export interface Progress {
  step: string;
}

/** Thrown into an operation whose deadline passed, so its client moves on. */
export class Hung extends Error {
  constructor(what: string) {
    super(`hung: ${what}`);
    this.name = "Hung";
  }
}

/**
 * Runs `op` with an abort signal and a deadline of `ms`. Past it, records a `hang` (with `what`
 * and the operation's last step), aborts the signal and rejects with {@linkcode Hung}, whether or
 * not the operation heeds its signal.
 */
export async function withDeadline<T>(
  failures: Failures,
  what: string,
  ms: number,
  op: (signal: AbortSignal, progress: Progress) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const progress: Progress = { step: "started" };
  const onOuter = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuter, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      failures.add("hang", `${what}: no end after ${ms} ms (at: ${progress.step})`);
      const hung = new Hung(what);
      controller.abort(hung);
      reject(hung);
    }, ms);
  });
  const running = op(controller.signal, progress);
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuter);
    running.catch(() => {});
  }
}
