// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { OrgRole } from "./org.ts";

/**
 * A member of the organisation (an item of `GET /v1/members`, current wire only).
 *
 * @example Reading the fields
 * ```ts
 * import type { Member } from "@microsandbox/edge";
 *
 * function label(member: Member): string {
 *   return `${member.displayName ?? member.email} (${member.role})`;
 * }
 * ```
 */
export interface Member {
  /** The membership's id (a UUID). */
  readonly id: string;
  /** The user's id (a UUID). */
  readonly userId: string;
  /** The user's email address. */
  readonly email: string;
  /** The user's role in the organisation. */
  readonly role: OrgRole;
  /** The user's display name, when they set one. */
  readonly displayName: string | undefined;
  /** The user's avatar, when they have one. */
  readonly avatarUrl: string | undefined;
  /** When the user joined the organisation. */
  readonly joinedAt: Date;
}
