// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { ExecFailedError } from "../errors.ts";
import type { Rlimit } from "../models/sandbox_spec.ts";

/** What a command runs with; the sandbox's own settings fill what is left out. */
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
   * `ExecTimeoutError`.
   */
  timeout?: number | undefined;
}

/** What `exec` runs with. */
export interface ExecOptions extends Omit<SpawnOptions, "tty" | "rows" | "cols"> {
  /** Bytes for the command's stdin; it gets end-of-file right after (or at once when absent). */
  stdin?: string | Uint8Array | ReadableStream<Uint8Array> | undefined;
  /**
   * The most stdout plus stderr bytes kept; more kills the process and fails the call.
   * @default {67108864}
   */
  maxOutputBytes?: number | undefined;
}

/** How a process ended. */
export interface ExitStatus {
  /** The exit code; -1 when a signal killed the process. */
  code: number;
  /** Whether the code is 0. */
  success: boolean;
}

/**
 * One thing that happened to a spawned process: `started` first, then output, then `exited` (or
 * `failed`, after which `exited` rejects with its error) last.
 */
export type ExecEvent =
  | { type: "started"; pid: number }
  | { type: "stdout"; data: Uint8Array }
  | { type: "stderr"; data: Uint8Array }
  | { type: "stdinError"; errno: number | null; errnoName: string | null; message: string }
  | { type: "exited"; code: number; success: boolean }
  | { type: "failed"; error: ExecFailedError };
