/**
 * Query-string parameters of the sandbox routes (`start`, `limit`, `labels`, `wait_for`,
 * `wait_timeout`), parsed strictly, with 400 `invalid_request` errors that say what to send.
 *
 * @module
 */

import { invalidRequest } from "../app/_error_body.ts";
import { isStringMap } from "./_json_fields.ts";
import type { SandboxRecord } from "./_sandbox_record.ts";

/** The page size when `limit` is absent. */
export const DEFAULT_LIMIT = 20;
/** The largest accepted `limit`. */
export const MAX_LIMIT = 100;
/** The readiness-wait budget when `wait_for=running` comes without `wait_timeout`. */
export const DEFAULT_WAIT_TIMEOUT_SECS = 60;

const DIGITS_REGEXP = /^\d{1,15}$/;

/**
 * Parses `start`.
 *
 * @param value The raw parameter.
 * @returns `true` only for `start=true`; absent means `false`.
 */
export function parseStart(value: string | undefined): boolean {
  if (value === undefined || value === "false") return false;
  if (value === "true") return true;
  throw invalidRequest(`Cannot use start=${value}: use start=true or start=false`);
}

/**
 * Parses `limit`.
 *
 * @param value The raw parameter.
 * @returns The page size, {@linkcode DEFAULT_LIMIT} when absent.
 */
export function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = DIGITS_REGEXP.test(value) ? Number(value) : NaN;
  if (limit >= 1 && limit <= MAX_LIMIT) return limit;
  throw invalidRequest(`Cannot use limit=${value}: use an integer from 1 to ${MAX_LIMIT}`);
}

/**
 * Parses `labels`, a JSON object of strings that every listed sandbox must carry (AND-match).
 *
 * @param value The raw parameter.
 * @returns A filter, or `undefined` when absent or empty.
 */
export function parseLabelFilter(
  value: string | undefined,
): ((record: SandboxRecord) => boolean) | undefined {
  if (!value) return undefined;
  let wanted: unknown;
  try {
    wanted = JSON.parse(value);
  } catch {
    wanted = undefined;
  }
  if (!isStringMap(wanted)) {
    throw invalidRequest(
      'Cannot use the labels filter: send a JSON object of strings, e.g. labels={"team":"a"}',
    );
  }
  const entries = Object.entries(wanted);
  return (record) => entries.every(([key, v]) => record.labels[key] === v);
}

/**
 * Parses `wait_for` and `wait_timeout`.
 *
 * @param waitFor The raw `wait_for`.
 * @param waitTimeout The raw `wait_timeout`, in seconds.
 * @returns The wait budget in milliseconds, or `undefined` when no wait was asked for.
 */
export function parseWait(
  waitFor: string | undefined,
  waitTimeout: string | undefined,
): number | undefined {
  if (waitFor === undefined) {
    if (waitTimeout === undefined) return undefined;
    throw invalidRequest("Cannot use wait_timeout alone: add wait_for=running");
  }
  if (waitFor !== "running") {
    throw invalidRequest(`Cannot wait for ${JSON.stringify(waitFor)}: use wait_for=running`);
  }
  if (waitTimeout === undefined) return DEFAULT_WAIT_TIMEOUT_SECS * 1000;
  if (!DIGITS_REGEXP.test(waitTimeout)) {
    throw invalidRequest(
      `Cannot use wait_timeout=${waitTimeout}: use a whole number of seconds of at least 0`,
    );
  }
  return Number(waitTimeout) * 1000;
}
