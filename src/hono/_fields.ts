// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { RouteError } from "./errors.ts";

// Checks of the fields of a JSON body; each throws `invalid_request` naming the field.

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || typeof value === "string") return value;
  throw invalid(key, "a string");
}

export function requiredString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value === "string" && value !== "") return value;
  throw invalid(key, "a non-empty string");
}

export function optionalStrings(body: Record<string, unknown>, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((each) => typeof each === "string")) return value;
  throw invalid(key, "an array of strings");
}

export function optionalStringRecord(
  body: Record<string, unknown>,
  key: string,
): Record<string, string> | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (
    typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.values(value).every((each) => typeof each === "string")
  ) {
    return value as Record<string, string>;
  }
  throw invalid(key, "an object of strings");
}

export function optionalPositive(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  throw invalid(key, "a positive number");
}

function invalid(key: string, what: string): RouteError {
  return new RouteError("invalid_request", `The field "${key}" must be ${what}.`);
}
