// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { RLIMIT_RESOURCES, type SandboxSpec } from "../models/sandbox_spec.ts";
import type { CreateField } from "./create_rule.ts";
import { isObject, isStringArray, isStringRecord, optionalField } from "./_fields.ts";
import { isSlug } from "./_slug.ts";

// The type check of each spec field a create rule may let through, so that what reaches the wire
// adapters has the shape `SandboxSpec` promises, nested objects without extra keys. The compiler
// demands one check per field.

interface FieldCheck {
  is: (value: unknown) => boolean;
  /** What the field must be, for the 400 message. */
  what: string;
}

const isString = (value: unknown): boolean => typeof value === "string";
const isBoolean = (value: unknown): boolean => typeof value === "boolean";
const STRING: FieldCheck = { is: isString, what: "a string" };
const STRINGS: FieldCheck = { is: isStringArray, what: "an array of strings" };
const STRING_RECORD: FieldCheck = { is: isStringRecord, what: "an object of strings" };
const SECONDS: FieldCheck = { is: isPositiveInteger, what: "a positive integer of seconds" };

const CHECKS: { readonly [F in CreateField]-?: FieldCheck } = {
  env: STRING_RECORD,
  workdir: STRING,
  shell: STRING,
  entrypoint: STRINGS,
  cmd: STRINGS,
  hostname: STRING,
  user: STRING,
  logLevel: oneOf("error", "warn", "info", "debug", "trace"),
  scripts: STRING_RECORD,
  labels: STRING_RECORD,
  ephemeral: { is: isBoolean, what: "true or false" },
  maxDurationSecs: SECONDS,
  idleTimeoutSecs: SECONDS,
  slug: { is: isSlug, what: "1 to 63 lower-case letters, digits and inner dashes" },
  rlimits: {
    is: (value) => Array.isArray(value) && value.every(isRlimit),
    what: 'an array of { resource, soft, hard }: a resource such as "nofile", integer limits',
  },
  pullPolicy: oneOf("if_missing", "always", "never"),
  securityProfile: oneOf("default", "restricted"),
  network: {
    is: (value) => hasOnly(value, { enabled: isBoolean, maxConnections: isPositiveInteger }, []),
    what:
      "{ enabled?: boolean, maxConnections?: positive integer } (a policy and secrets are the app's to set)",
  },
  registry: {
    is: isRegistryAuth,
    what:
      '{ mode: "auto" }, { mode: "anonymous" }, { mode: "inline", username, password } or { mode: "specific", credentialId }',
  },
};

/** Every field a create rule may let through. */
export const CREATE_FIELDS: ReadonlySet<string> = new Set(Object.keys(CHECKS));

/** The body's `field`, type-checked (400 `invalid_request` naming it), or `undefined`. */
export function specField<F extends CreateField>(
  body: Record<string, unknown>,
  field: F,
): SandboxSpec[F] | undefined {
  const check = CHECKS[field];
  return optionalField(
    body,
    field,
    (value): value is SandboxSpec[F] => check.is(value),
    check.what,
  );
}

function oneOf(...values: string[]): FieldCheck {
  return {
    is: (value) => values.includes(value as string),
    what: `one of ${values.map((each) => `"${each}"`).join(", ")}`,
  };
}

function isPositiveInteger(value: unknown): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

function isLimit(value: unknown): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isRlimit(value: unknown): boolean {
  return hasOnly(
    value,
    { resource: (r) => RLIMIT_RESOURCES.includes(r as never), soft: isLimit, hard: isLimit },
    ["resource", "soft", "hard"],
  );
}

function isRegistryAuth(value: unknown): boolean {
  if (!isObject(value)) return false;
  switch (value.mode) {
    case "auto":
    case "anonymous":
      return hasOnly(value, { mode: isString }, []);
    case "inline":
      return hasOnly(value, { mode: isString, username: isString, password: isString }, [
        "username",
        "password",
      ]);
    case "specific":
      return hasOnly(value, { mode: isString, credentialId: isString }, ["credentialId"]);
    default:
      return false;
  }
}

/**
 * Whether `value` is an object whose keys are all among `checks`, each passing its check, with
 * every key of `required` present.
 */
function hasOnly(
  value: unknown,
  checks: Record<string, (each: unknown) => boolean>,
  required: readonly string[],
): boolean {
  return isObject(value) && required.every((key) => key in value) &&
    Object.entries(value).every(([key, each]) => Object.hasOwn(checks, key) && checks[key]!(each));
}
