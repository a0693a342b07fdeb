/**
 * The local cloud's organisation and its members: the org every sandbox belongs to, with the
 * API key's owner as its first member (`owner`), and members a test adds.
 *
 * @module
 */

import type { OrgRole } from "../../models/org.ts";

/** One member, as openapi `OrgMemberResponse` names its fields. */
export interface MemberRecord {
  /** Join order; what member cursors point at. */
  readonly seq: number;
  readonly id: string;
  readonly userId: string;
  readonly email: string;
  readonly role: OrgRole;
  readonly displayName: string | null;
  readonly avatarUrl: string | null;
  readonly joinedAt: string;
}

/** What a test gives to add a member. */
export interface NewMember {
  readonly email: string;
  readonly role?: OrgRole | undefined;
  readonly displayName?: string | undefined;
  readonly avatarUrl?: string | undefined;
}

/** The organisation of one local cloud. */
export class OrgDirectory {
  readonly id: string;
  readonly name = "Local Cloud";
  readonly slug = "local-cloud";
  readonly createdAt: string = new Date().toISOString();
  readonly #members: MemberRecord[] = [];

  /**
   * Creates the org with its owner as the only member.
   *
   * @param id The org id the sandboxes carry.
   */
  constructor(id: string) {
    this.id = id;
    this.add({ email: "owner@local-cloud.test", role: "owner", displayName: "Owner" });
  }

  /** The members, in join order. */
  get members(): readonly MemberRecord[] {
    return this.#members;
  }

  /**
   * Adds a member.
   *
   * @param input Their email, role (`member` by default), display name and avatar.
   * @returns The new member.
   */
  add(input: NewMember): MemberRecord {
    const member: MemberRecord = {
      seq: this.#members.length + 1,
      id: crypto.randomUUID(),
      userId: crypto.randomUUID(),
      email: input.email,
      role: input.role ?? "member",
      displayName: input.displayName ?? null,
      avatarUrl: input.avatarUrl ?? null,
      joinedAt: new Date().toISOString(),
    };
    this.#members.push(member);
    return member;
  }
}
