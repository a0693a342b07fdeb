// Runs the fuzz properties of tests/fuzz/ with fast-check. The run count comes from `FUZZ_RUNS`:
// a few thousand cases in the normal test command, 1,000,000 with `deno task fuzz`. The seed is
// random each run; fast-check prints it (and the path of the shrunk counterexample) on failure,
// and `FUZZ_SEED` (with `FUZZ_PATH`) replays exactly that run.
import fc from "fast-check";

/** The cases each property runs when `FUZZ_RUNS` is not set. */
const DEFAULT_RUNS = 3000;

/** `FUZZ_RUNS`, else {@linkcode DEFAULT_RUNS}. */
export const FUZZ_RUNS: number = positiveInteger("FUZZ_RUNS") ?? DEFAULT_RUNS;

function positiveInteger(name: string): number | undefined {
  const text = Deno.env.get(name);
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** The replay parameters from `FUZZ_SEED` and `FUZZ_PATH`, when set. */
function replay(): { seed?: number; path?: string } {
  const seed = Deno.env.get("FUZZ_SEED");
  if (seed === undefined || seed === "") return {};
  const path = Deno.env.get("FUZZ_PATH");
  return path === undefined || path === "" ? { seed: Number(seed) } : { seed: Number(seed), path };
}

/**
 * Checks `property` for {@linkcode FUZZ_RUNS} cases and prints how many ran, how long they took
 * and the seed. A failure throws fast-check's report: seed, path and the shrunk counterexample.
 */
export async function fuzz<T>(
  name: string,
  property: fc.IProperty<T> | fc.IAsyncProperty<T>,
): Promise<void> {
  const started = performance.now();
  const details = await fc.check(property, { numRuns: FUZZ_RUNS, ...replay() });
  const seconds = (performance.now() - started) / 1000;
  const rate = seconds > 0 ? Math.round(details.numRuns / seconds) : 0;
  console.log(
    `fuzz ${name}: ${details.numRuns} cases in ${seconds.toFixed(1)} s ` +
      `(${rate}/s, seed ${details.seed})`,
  );
  if (!details.failed) return;
  const again = `FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ""}`;
  throw new Error(`${fc.defaultReportMessage(details)}\nReplay with ${again}`, {
    cause: details.errorInstance,
  });
}
