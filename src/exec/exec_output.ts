// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { ExitStatus } from "./exec_options.ts";

const decoder = new TextDecoder();

/**
 * What a finished command printed and how it ended.
 *
 * @example Usage
 * ```ts
 * import { ExecOutput } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const output = new ExecOutput({ code: 0, success: true }, new TextEncoder().encode("hi\n"), new Uint8Array());
 * assert.equal(output.stdoutText(), "hi\n");
 * assert.ok(output.success);
 * ```
 */
export class ExecOutput implements ExitStatus {
  /** The exit code; -1 when a signal killed the process. */
  readonly code: number;
  /** Whether the code is 0. */
  readonly success: boolean;
  /** Everything the command wrote to stdout. */
  readonly stdout: Uint8Array;
  /** Everything the command wrote to stderr. */
  readonly stderr: Uint8Array;

  /**
   * Builds the output of a finished command.
   *
   * @param status How it ended.
   * @param stdout Its stdout bytes.
   * @param stderr Its stderr bytes.
   */
  constructor(status: ExitStatus, stdout: Uint8Array, stderr: Uint8Array) {
    this.code = status.code;
    this.success = status.success;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Decodes stdout as UTF-8.
   *
   * @returns The text.
   */
  stdoutText(): string {
    return decoder.decode(this.stdout);
  }

  /**
   * Decodes stderr as UTF-8.
   *
   * @returns The text.
   */
  stderrText(): string {
    return decoder.decode(this.stderr);
  }
}
