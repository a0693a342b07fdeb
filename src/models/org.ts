// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * A role in an organisation, from most to least rights.
 *
 * @example Who may change things
 * ```ts
 * import type { OrgRole } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * function mayWrite(role: OrgRole): boolean {
 *   return role === "owner" || role === "admin" || role === "member";
 * }
 * assert.ok(!mayWrite("viewer"));
 * ```
 */
export type OrgRole = "owner" | "admin" | "member" | "viewer";

/**
 * The roles, from most to least rights.
 *
 * @example Sorting members by rank
 * ```ts
 * import { ORG_ROLES, type OrgRole } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const roles: OrgRole[] = ["viewer", "owner", "member"];
 * roles.sort((a, b) => ORG_ROLES.indexOf(a) - ORG_ROLES.indexOf(b));
 * assert.deepEqual(roles, ["owner", "member", "viewer"]);
 * ```
 */
export const ORG_ROLES: readonly OrgRole[] = ["owner", "admin", "member", "viewer"];

/**
 * The organisation the API key belongs to (`GET /v1/me/org`, current wire only).
 *
 * @example Reading the fields
 * ```ts
 * import type { Org } from "@microsandbox/edge";
 *
 * function describe(org: Org): string {
 *   const since = org.createdAt.toISOString().slice(0, 10);
 *   return `${org.name} (${org.slug}), since ${since}${org.mfaRequired ? ", MFA required" : ""}`;
 * }
 * ```
 */
export interface Org {
  /** The organisation's id (a UUID). */
  readonly id: string;
  /** Its display name. */
  readonly name: string;
  /** Its URL-safe name. */
  readonly slug: string;
  /** Whether members must sign in with a second factor. */
  readonly mfaRequired: boolean;
  /** The key's role; informational, since the cloud treats an API key as `owner`. */
  readonly role: OrgRole;
  /** When it was created. */
  readonly createdAt: Date;
  /** When it last changed. */
  readonly updatedAt: Date;
}
