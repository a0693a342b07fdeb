// Runs a child runtime in its own process group, bounded in time: on timeout, and in any case once
// it is done, the whole group (the runtime and whatever it started, such as workerd) is killed.

import { RESULT_PREFIX } from "./_result.ts";
import type { SmokeResult } from "./_smoke.ts";

/** A child process to run. */
export interface ChildRun {
  /** What it is, for messages, such as `bun`. */
  label: string;
  /** The executable. */
  command: string;
  /** Its arguments. */
  args: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Its working directory. */
  cwd?: string;
  /** Milliseconds it may run before its group is killed. */
  timeoutMs: number;
}

/** What a child printed, and how long it ran. */
export interface ChildOutput {
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
}

/**
 * Runs `run` to its end; fails when it exits unsuccessfully or outlives its timeout.
 *
 * @param run The process and its bound.
 * @returns Its output, once it exited with code 0.
 * @throws {Error} On a non-zero exit or a timeout, with the tail of its stderr and stdout.
 */
export async function runChild(run: ChildRun): Promise<ChildOutput> {
  const started = performance.now();
  const child = new Deno.Command("setsid", {
    args: [run.command, ...run.args],
    env: run.env ?? {},
    ...(run.cwd ? { cwd: run.cwd } : {}),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, run.timeoutMs);
  try {
    const [status, stdout, stderr] = await Promise.all([
      child.status,
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]);
    const ms = Math.round(performance.now() - started);
    if (timedOut || !status.success) {
      const why = timedOut
        ? `did not finish within ${run.timeoutMs} ms and was killed`
        : `exited with code ${status.code}${status.signal ? ` (${status.signal})` : ""}`;
      throw new Error(
        `${run.label} ${why}\n--- stderr ---\n${tail(stderr)}\n--- stdout ---\n${tail(stdout)}`,
      );
    }
    return { stdout, stderr, ms };
  } finally {
    clearTimeout(timer);
    killGroup(child.pid);
  }
}

/**
 * Reads the result a child printed on its `SMOKE_RESULT` line.
 *
 * @param output The child's output.
 * @param label The child, for messages.
 * @returns The parsed result.
 * @throws {Error} When no result line was printed.
 */
export function resultOf<T = SmokeResult>(output: ChildOutput, label: string): T {
  const line = output.stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) {
    throw new Error(`${label} printed no result line\n${tail(output.stderr)}\n${output.stdout}`);
  }
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
}

function killGroup(pid: number): void {
  try {
    Deno.kill(-pid, "SIGKILL");
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound) && !(error instanceof TypeError)) throw error;
  }
}

function tail(text: string): string {
  return text.length > 6000 ? `…${text.slice(-6000)}` : text;
}
