// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { InvalidConfigError, UnsupportedError } from "../errors.ts";
import type { SandboxSpec } from "../models/sandbox_spec.ts";
import { encodePathSegment } from "../transport/_path.ts";

/** When what the seed's wire lacks is available: on today's wire. */
export const CURRENT_ONLY = 'with wire: "current"';

/** A field a generation cannot express, when it is set, and what to say about it. */
export interface Refusal {
  /** True when the spec uses the field in a way the generation cannot express. */
  applies(spec: SandboxSpec): boolean;
  feature: string;
  availableWhen: string;
}

/** Throws the first refusal that applies, in the order given. */
export function refuse(spec: SandboxSpec, refusals: readonly Refusal[]): void {
  const hit = refusals.find((refusal) => refusal.applies(spec));
  if (hit) throw new UnsupportedError({ feature: hit.feature, availableWhen: hit.availableWhen });
}

/** Checks what every generation needs: a name and an image. */
export function requireBasics(spec: SandboxSpec): void {
  if (typeof spec?.name !== "string" || spec.name.trim() === "") {
    throw new InvalidConfigError("sandbox spec needs a non-empty name");
  }
  encodePathSegment(spec.name);
  if (typeof spec.image !== "string" || spec.image.trim() === "") {
    throw new InvalidConfigError(`sandbox "${spec.name}" needs an image, such as "python"`);
  }
}

/** True when a record or array option holds anything. */
export function nonEmpty(value: object | undefined): boolean {
  return value !== undefined && Object.keys(value).length > 0;
}

/** Validates `limit` of a listing: an integer from 1 to 100. */
export function checkLimit(limit: number | undefined): void {
  if (limit === undefined) return;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new InvalidConfigError(`list limit must be an integer from 1 to 100, got ${limit}`);
  }
}
