// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { InvalidConfigError } from "../errors.ts";

/**
 * The longest delay a timer keeps, 2^31 - 1 ms (about 24.8 days): every runtime runs a longer
 * `setTimeout` or `AbortSignal.timeout` at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Checks a duration option in milliseconds: a positive number that a timer can wait.
 *
 * @param name The option, as the error names it.
 * @param value The value given.
 * @returns The value.
 * @throws {InvalidConfigError} When it is not a positive number up to {@linkcode MAX_TIMER_MS}.
 */
export function timerMs(name: string, value: number): number {
  if (Number.isFinite(value) && value > 0 && value <= MAX_TIMER_MS) return value;
  throw new InvalidConfigError(
    `${name} must be a positive number up to ${MAX_TIMER_MS}, got ${value}`,
  );
}
