// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The small checks every part of a spec is made of. Each names the field by its dotted path in
// `SandboxSpec` and says what it must be, as an `InvalidConfigError`, before any request.

import { InvalidConfigError } from "../errors.ts";

/** The largest `int32`, the bound of the contract's sizes and modes. */
export const INT32_MAX = 2_147_483_647;
/** The largest `u32`, the bound of memory and disk sizes. */
export const U32_MAX = 4_294_967_295;

/** Throws the error naming `path`, what it must be and what it was. */
export function invalid(path: string, what: string, ...got: [unknown?]): never {
  const seen = got.length > 0 ? `, got ${shown(got[0])}` : "";
  throw new InvalidConfigError(`sandbox spec field \`${path}\` must be ${what}${seen}`);
}

function shown(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  const text = typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? JSON.stringify(value)
    : value === null
    ? "null"
    : Array.isArray(value)
    ? "an array"
    : `a value of type ${typeof value}`;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Checks an integer from `min` to `max`, unless absent. */
export function integerIn(path: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    invalid(path, `an integer from ${min} to ${max}`, value);
  }
}

/** Checks one of `choices`, unless absent. */
export function oneOf(path: string, value: unknown, choices: readonly unknown[]): void {
  if (value === undefined || choices.includes(value)) return;
  invalid(path, `one of ${choices.map((each) => JSON.stringify(each)).join(", ")}`, value);
}

/** Checks a boolean, unless absent. */
export function bool(path: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") invalid(path, "true or false", value);
}

/** Checks a string, unless absent. */
export function string(path: string, value: unknown): void {
  if (value !== undefined && typeof value !== "string") invalid(path, "a string", value);
}

/** Checks a non-empty string (required). */
export function text(path: string, value: unknown): void {
  if (typeof value !== "string" || value === "") invalid(path, "a non-empty string", value);
}

/** Checks an array of strings, unless absent. */
export function strings(path: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || !value.every((each) => typeof each === "string")) {
    invalid(path, "an array of strings", value);
  }
}

/** Checks an object of strings, unless absent. */
export function stringRecord(path: string, value: unknown): void {
  if (value === undefined) return;
  if (!isRecord(value) || !Object.values(value).every((each) => typeof each === "string")) {
    invalid(path, "an object of strings", value);
  }
}

/** Checks an absolute guest path: starts with `/`, no `.` or `..` segment, no NUL. */
export function absolutePath(path: string, value: unknown): void {
  const ok = typeof value === "string" && value.startsWith("/") && !value.includes("\0") &&
    !value.split("/").some((segment) => segment === "." || segment === "..");
  if (!ok) invalid(path, 'an absolute guest path such as "/data", without "." or ".."', value);
}

/** Checks an array, unless absent, and each of its items. */
export function each<T>(
  path: string,
  value: readonly T[] | undefined,
  check: (item: T, path: string) => void,
): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) invalid(path, "an array", value);
  value.forEach((item, i) => check(item, `${path}[${i}]`));
}

/** Checks an object (required). */
export function record(path: string, value: unknown): void {
  if (!isRecord(value)) invalid(path, "an object", value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}
