// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { SANDBOX_STATUSES, type SandboxInfo, type SandboxStatus } from "../models/sandbox_info.ts";

/**
 * A response body that does not have the expected shape; the client adds the operation. Its
 * message names our field, never a value or a key of the body, which may hold anything.
 */
export class DecodeFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecodeFailure";
  }
}

/** A JSON object, as read from a response. */
export type Json = Record<string, unknown>;

/** The value as an object, or a failure naming `what`. */
export function object(value: unknown, what: string): Json {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Json;
  throw new DecodeFailure(`${what} is not an object`);
}

/** The value as an array, or a failure naming `what`. */
export function array(value: unknown, what: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new DecodeFailure(`${what} is not an array`);
}

/** A required string field. */
export function string(json: Json, key: string): string {
  const value = json[key];
  if (typeof value === "string") return value;
  throw new DecodeFailure(
    value === undefined ? `missing field \`${key}\`` : `\`${key}\` is not a string`,
  );
}

/** An optional string field; `null` and absence are `undefined`. */
export function optionalString(json: Json, key: string): string | undefined {
  return json[key] === undefined || json[key] === null ? undefined : string(json, key);
}

/** A required boolean field. */
export function boolean(json: Json, key: string): boolean {
  const value = json[key];
  if (typeof value === "boolean") return value;
  throw new DecodeFailure(
    value === undefined ? `missing field \`${key}\`` : `\`${key}\` is not a boolean`,
  );
}

/** An optional number field; `null` and absence are `undefined`. */
export function optionalNumber(json: Json, key: string): number | undefined {
  const value = json[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return value;
  throw new DecodeFailure(`\`${key}\` is not a number`);
}

/** An optional record of strings; `null` and absence are `undefined`. */
export function optionalStringRecord(json: Json, key: string): Record<string, string> | undefined {
  const value = json[key];
  if (value === undefined || value === null) return undefined;
  const record = object(value, `\`${key}\``);
  for (const item of Object.values(record)) {
    if (typeof item !== "string") {
      throw new DecodeFailure(`\`${key}\` holds a value that is not a string`);
    }
  }
  return record as Record<string, string>;
}

/** An optional array of strings; `null` and absence are `undefined`. */
export function optionalStrings(json: Json, key: string): string[] | undefined {
  const value = json[key];
  if (value === undefined || value === null) return undefined;
  const items = array(value, `\`${key}\``);
  if (items.some((item) => typeof item !== "string")) {
    throw new DecodeFailure(`\`${key}\` is not an array of strings`);
  }
  return items as string[];
}

/** An RFC 3339 date field; required unless `optional`. */
export function date(json: Json, key: string): Date;
export function date(json: Json, key: string, optional: true): Date | undefined;
export function date(json: Json, key: string, optional = false): Date | undefined {
  const text = optional ? optionalString(json, key) : string(json, key);
  if (text === undefined) return undefined;
  const value = new Date(text);
  if (Number.isNaN(value.getTime())) throw new DecodeFailure(`\`${key}\` is not a date`);
  return value;
}

/** The fields both generations share, read from a sandbox body. */
export function commonFields(
  json: Json,
): Omit<SandboxInfo, "slug" | "statusReason" | "lastError" | "spec"> {
  return {
    id: string(json, "id"),
    orgId: string(json, "org_id"),
    name: string(json, "name"),
    status: status(string(json, "status")),
    ephemeral: boolean(json, "ephemeral"),
    createdAt: date(json, "created_at"),
    startedAt: date(json, "started_at", true),
    stoppedAt: date(json, "stopped_at", true),
  };
}

function status(value: string): SandboxStatus {
  if ((SANDBOX_STATUSES as readonly string[]).includes(value)) return value as SandboxStatus;
  throw new DecodeFailure(`\`status\` is not one of ${SANDBOX_STATUSES.join(", ")}`);
}
