// Named checks with clear failure messages, runnable in every runtime (no node:assert: the worker
// bundle stays free of Node built-ins).

/** How long one check may take. */
const CHECK_TIMEOUT_MS = 15_000;

/**
 * Runs one named check, bounded in time, and records its name once it passes.
 *
 * @param passed Where passed checks are recorded.
 * @param name What the check proves.
 * @param run The check.
 * @returns What `run` returned.
 * @throws {Error} `"<name> failed …: <reason>"`, with the original error as `cause`.
 */
export async function check<T>(passed: string[], name: string, run: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`did not finish within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  let value: T;
  try {
    value = await Promise.race([run(), late]);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`${name} failed after [${passed.join(", ")}]: ${reason}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
  passed.push(name);
  return value;
}

/**
 * Throws unless `actual` and `expected` have the same JSON form.
 *
 * @param actual The value seen.
 * @param expected The value wanted.
 * @param what What the value is, for the message.
 */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const seen = JSON.stringify(actual);
  const wanted = JSON.stringify(expected);
  if (seen !== wanted) throw new Error(`${what}: expected ${wanted}, got ${seen}`);
}
