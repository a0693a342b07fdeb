// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { RouteError } from "./errors.ts";

// Checks of the fields of a JSON body; each throws `invalid_request` naming the field.

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || typeof value === "string") return value;
  throw invalidField(key, "a string");
}

export function requiredString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value === "string" && value !== "") return value;
  throw invalidField(key, "a non-empty string");
}

export function optionalStrings(body: Record<string, unknown>, key: string): string[] | undefined {
  return optionalField(body, key, isStringArray, "an array of strings");
}

export function optionalStringRecord(
  body: Record<string, unknown>,
  key: string,
): Record<string, string> | undefined {
  return optionalField(body, key, isStringRecord, "an object of strings");
}

export function optionalPositive(body: Record<string, unknown>, key: string): number | undefined {
  return optionalField(
    body,
    key,
    (value): value is number => typeof value === "number" && Number.isFinite(value) && value > 0,
    "a positive number",
  );
}

/** An integer from `min` to `max`, or `undefined` when the field is missing. */
export function optionalInteger(
  body: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  return optionalField(
    body,
    key,
    (value): value is number =>
      typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max,
    `an integer from ${min} to ${max}`,
  );
}

/** The field when `is` holds for it, `undefined` when it is missing, else `invalid_request`. */
export function optionalField<T>(
  body: Record<string, unknown>,
  key: string,
  is: (value: unknown) => value is T,
  what: string,
): T | undefined {
  const value = body[key];
  if (value === undefined || is(value)) return value;
  throw invalidField(key, what);
}

/** A JSON object (not `null`, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((each) => typeof each === "string");
}

export function isStringRecord(value: unknown): value is Record<string, string> {
  return isObject(value) && Object.values(value).every((each) => typeof each === "string");
}

/** `invalid_request`: the field `key` must be `what`. */
export function invalidField(key: string, what: string): RouteError {
  return new RouteError("invalid_request", `The field "${key}" must be ${what}.`);
}
