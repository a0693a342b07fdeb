// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { ExecFailedError } from "../errors.ts";
import type { Rlimit } from "../models/sandbox_spec.ts";

/**
 * What a command runs with; the sandbox's own settings fill what is left out.
 *
 * @example An interactive Python in a terminal
 * ```ts
 * import type { ExecProcess, Sandbox, SpawnOptions } from "@microsandbox/edge";
 *
 * async function repl(sandbox: Sandbox, signal: AbortSignal): Promise<ExecProcess> {
 *   const options: SpawnOptions = {
 *     tty: true, // one merged `stdout`; `process.resize(rows, cols)` follows the window
 *     rows: 40,
 *     cols: 120,
 *     cwd: "/workspace",
 *     env: { TERM: "xterm-256color" },
 *     rlimits: [{ resource: "nproc", soft: 64, hard: 64 }],
 *     signal, // aborting kills the process
 *   };
 *   return await sandbox.spawn("python3", [], options);
 * }
 * ```
 */
export interface SpawnOptions {
  /** Variables added to the sandbox's environment (an override drops the sandbox's entry). */
  env?: Record<string, string> | undefined;
  /** The working directory; the sandbox's `workdir`, else `/`. */
  cwd?: string | undefined;
  /** The user to run as; the sandbox's `user`, else the image's default. */
  user?: string | undefined;
  /** Resource limits of the process. */
  rlimits?: Rlimit[] | undefined;
  /**
   * Run in a terminal: stdout and stderr merge into `stdout`, and `resize` applies.
   * @default {false}
   */
  tty?: boolean | undefined;
  /**
   * Terminal rows.
   * @default {24}
   */
  rows?: number | undefined;
  /**
   * Terminal columns.
   * @default {80}
   */
  cols?: number | undefined;
  /** Aborting kills the process (signal 9) and closes its connection. */
  signal?: AbortSignal | undefined;
  /**
   * Milliseconds the process may run; then it is killed and the call fails with
   * `ExecTimeoutError`. A positive number up to 2147483647 (the longest a timer waits), else
   * `InvalidConfigError` before anything is sent.
   */
  timeout?: number | undefined;
}

/**
 * What `exec` runs with.
 *
 * @example Feeding stdin, bounding time and output
 * ```ts
 * import type { ExecOptions, Sandbox } from "@microsandbox/edge";
 *
 * async function countWords(sandbox: Sandbox, text: string): Promise<number> {
 *   const options: ExecOptions = {
 *     stdin: text, // then end-of-file, so `wc` finishes
 *     timeout: 10_000, // killed, and `ExecTimeoutError`, after 10 s
 *     maxOutputBytes: 1024, // a runaway command cannot fill memory
 *   };
 *   const output = await sandbox.exec("wc", ["-w"], options);
 *   return Number(output.stdoutText().trim());
 * }
 * ```
 */
export interface ExecOptions extends Omit<SpawnOptions, "tty" | "rows" | "cols"> {
  /** Bytes for the command's stdin; it gets end-of-file right after (or at once when absent). */
  stdin?: string | Uint8Array | ReadableStream<Uint8Array> | undefined;
  /**
   * The most stdout plus stderr bytes kept; more kills the process and fails the call.
   * @default {67108864}
   */
  maxOutputBytes?: number | undefined;
}

/**
 * How a process ended.
 *
 * @example Describing an exit
 * ```ts
 * import type { ExitStatus } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * function describe(status: ExitStatus): string {
 *   if (status.success) return "succeeded";
 *   return status.code === -1 ? "was killed by a signal" : `failed with code ${status.code}`;
 * }
 * assert.equal(describe({ code: 0, success: true }), "succeeded");
 * assert.equal(describe({ code: 2, success: false }), "failed with code 2");
 * assert.equal(describe({ code: -1, success: false }), "was killed by a signal");
 * ```
 */
export interface ExitStatus {
  /** The exit code; -1 when a signal killed the process. */
  code: number;
  /** Whether the code is 0. */
  success: boolean;
}

/**
 * One thing that happened to a spawned process: `started` first, then output, then `exited` (or
 * `failed`, after which `exited` rejects with its error) last.
 *
 * @example Handling every kind of event
 * ```ts
 * import type { ExecEvent } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const decoder = new TextDecoder();
 * function summarize(event: ExecEvent): string {
 *   switch (event.type) {
 *     case "started":
 *       return `pid ${event.pid}`;
 *     case "stdout":
 *     case "stderr":
 *       return `${event.type}: ${decoder.decode(event.data)}`;
 *     case "stdinError":
 *       return `stdin: ${event.message}`;
 *     case "exited":
 *       return `exit ${event.code}`;
 *     case "failed":
 *       return `failed: ${event.error.failureKind}`;
 *   }
 * }
 *
 * // What `process.events` yields for `echo hi`.
 * const events: ExecEvent[] = [
 *   { type: "started", pid: 7 },
 *   { type: "stdout", data: new TextEncoder().encode("hi\n") },
 *   { type: "exited", code: 0, success: true },
 * ];
 * assert.deepEqual(events.map(summarize), ["pid 7", "stdout: hi\n", "exit 0"]);
 * ```
 */
export type ExecEvent =
  | { type: "started"; pid: number }
  | { type: "stdout"; data: Uint8Array }
  | { type: "stderr"; data: Uint8Array }
  | { type: "stdinError"; errno: number | null; errnoName: string | null; message: string }
  | { type: "exited"; code: number; success: boolean }
  | { type: "failed"; error: ExecFailedError };
