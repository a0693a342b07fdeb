// The isolation and throughput scenarios, runtime-neutral (fetch, WebSocket, Web Streams and
// timers only), so that Deno runs them in the test process and Bun, Node 24, Deno without
// --unstable-net and workerd run the very same module in a child.

import { ConnectionError, type Sandbox } from "../../mod.ts";

/** The bytes each slow reader's process writes. */
export const SLOW_TOTAL = 64 * 1024 * 1024;

/** The bytes the flood's process writes. */
export const FLOOD_TOTAL = 256 * 1024 * 1024;

/** Concurrent execs in each of the rounds that run beside the slow readers. */
const EXECS_PER_ROUND = 10;
const ROUNDS = 3;

/** How long the paused reader stops after its first chunk, at the least. */
const PAUSE_MS = 4000;

/**
 * How long it waits for the execs, at the most: where the execs wait for it (a shared reader
 * held by its session), it resumes after this and the result says so.
 */
const PAUSE_LIMIT_MS = 30_000;

/** The last guard: a scenario that hangs fails after this. */
const SCENARIO_LIMIT_MS = 90_000;

/**
 * How a slow reader ended: `"all"` (every byte, exit 0), `"bound"` (its own session failed with
 * the unread-bound `ConnectionError`), or the unexpected error's text.
 */
export type ReaderOutcome = "all" | "bound" | string;

/** What the isolation scenario saw. */
export interface IsolationResult {
  /** Execs that completed with their own output, of `ROUNDS * EXECS_PER_ROUND`. */
  execsOk: number;
  /** Whether the reader at 1 ms per chunk had finished when the last exec completed. */
  steadyDoneFirst: boolean;
  /** Whether the paused reader had read past its first chunk when the last exec completed. */
  pausedResumedFirst: boolean;
  /** How each slow reader ended. */
  steady: ReaderOutcome;
  paused: ReaderOutcome;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Streams 64 MiB to a reader that takes 1 ms per chunk and to one that pauses after its first
 * chunk (for 4 s, and until the execs are done), while rounds of short execs run on the same
 * sandbox; then lets both readers finish.
 *
 * @param sandbox A running sandbox.
 * @returns What happened, in order.
 */
export async function runIsolation(sandbox: Sandbox): Promise<IsolationResult> {
  return await within(SCENARIO_LIMIT_MS, "the isolation scenario", isolation(sandbox));
}

async function isolation(sandbox: Sandbox): Promise<IsolationResult> {
  const steadyProcess = await flood(sandbox, SLOW_TOTAL);
  const pausedProcess = await flood(sandbox, SLOW_TOTAL);
  let steadyDone = false;
  const steady = outcome(async () => {
    let read = 0;
    for await (const chunk of steadyProcess.stdout) {
      read += chunk.byteLength;
      await sleep(1);
    }
    steadyDone = true;
    return { read, status: await steadyProcess.exited };
  });
  let execsDone!: () => void;
  const afterExecs = new Promise<void>((resolve) => execsDone = resolve);
  let resumed = false;
  const paused = outcome(async () => {
    const reader = pausedProcess.stdout.getReader();
    let read = 0;
    const first = await reader.read();
    read += first.value?.byteLength ?? 0;
    let limit: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise((resolve) => limit = setTimeout(resolve, PAUSE_LIMIT_MS));
    await Promise.all([sleep(PAUSE_MS), Promise.race([afterExecs, gaveUp])]);
    clearTimeout(limit);
    resumed = true;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.byteLength;
    }
    return { read, status: await pausedProcess.exited };
  });
  let execsOk = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const outputs = await Promise.all(
      Array.from({ length: EXECS_PER_ROUND }, (_, i) => sandbox.exec("echo", [`r${round}-${i}`])),
    );
    outputs.forEach((output, i) => {
      if (output.code === 0 && output.stdoutText() === `r${round}-${i}\n`) execsOk++;
    });
  }
  const steadyDoneFirst = steadyDone;
  const pausedResumedFirst = resumed;
  execsDone();
  return {
    execsOk,
    steadyDoneFirst,
    pausedResumedFirst,
    steady: await steady,
    paused: await paused,
  };
}

/** The execs {@linkcode runIsolation} runs. */
export const ISOLATION_EXECS: number = ROUNDS * EXECS_PER_ROUND;

/**
 * Streams 256 MiB from `head -c` to a reader that only counts bytes.
 *
 * @param sandbox A running sandbox.
 * @returns The bytes read and the exit code, or the error's text.
 */
export async function runFlood(sandbox: Sandbox): Promise<{ read: number; code: number } | string> {
  try {
    return await within(
      SCENARIO_LIMIT_MS,
      "the flood",
      (async () => {
        const process = await flood(sandbox, FLOOD_TOTAL);
        let read = 0;
        for await (const chunk of process.stdout) read += chunk.byteLength;
        return { read, code: (await process.exited).code };
      })(),
    );
  } catch (error) {
    return describe(error);
  }
}

async function flood(sandbox: Sandbox, total: number) {
  const process = await sandbox.spawn("head", ["-c", String(total), "/dev/zero"]);
  await process.stdin.close();
  await process.stderr.cancel();
  return process;
}

async function outcome(
  read: () => Promise<{ read: number; status: { code: number } }>,
): Promise<ReaderOutcome> {
  try {
    const { read: bytes, status } = await read();
    return bytes === SLOW_TOTAL && status.code === 0 ? "all" : `read ${bytes}, code ${status.code}`;
  } catch (error) {
    if (error instanceof ConnectionError && /were not read/.test(error.message)) return "bound";
    return describe(error);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
