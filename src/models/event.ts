// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * Who caused an audit event, as the cloud recorded them at the time (openapi `EventActor`):
 * a user, an API key, the system itself or the SSH key of a front-door session. A kind this
 * version does not know is `unknown`, with the cloud's word in `wireKind`, so a new kind of actor
 * never fails a whole page.
 *
 * @example Naming the actor
 * ```ts
 * import type { EventActor } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * function who(actor: EventActor): string {
 *   switch (actor.kind) {
 *     case "user":
 *       return `${actor.label} <${actor.redactedEmail}>`;
 *     case "api_key":
 *       return `key ${actor.name}`;
 *     case "system":
 *       return `system (${actor.code})`;
 *     case "ssh_key":
 *       return `ssh ${actor.label ?? actor.fingerprint}`;
 *     case "unknown":
 *       return actor.wireKind;
 *   }
 * }
 * assert.equal(
 *   who({ kind: "api_key", apiKeyId: "8c1d0f3e-2b4a-4c6d-9e8f-0a1b2c3d4e5f", name: "ci" }),
 *   "key ci",
 * );
 * ```
 */
export type EventActor =
  | {
    readonly kind: "user";
    /** The user's id (a UUID). */
    readonly userId: string;
    /** The user's name as shown at the time. */
    readonly label: string;
    /** The user's email address, partly hidden. */
    readonly redactedEmail: string;
  }
  | {
    readonly kind: "api_key";
    /** The API key's id (a UUID). */
    readonly apiKeyId: string;
    /** The API key's name. */
    readonly name: string;
  }
  | {
    readonly kind: "system";
    /** What in the cloud acted, as a code. */
    readonly code: string;
    /** The same, in words. */
    readonly label: string;
  }
  | {
    readonly kind: "ssh_key";
    /** The authorised SSH key's id (a UUID). */
    readonly keyId: string;
    /** Its `SHA256:…` fingerprint. */
    readonly fingerprint: string;
    /** The label set when it was registered, if any. */
    readonly label: string | undefined;
  }
  | {
    readonly kind: "unknown";
    /** The `kind` the cloud sent. */
    readonly wireKind: string;
  };

/**
 * One audit or lifecycle event of the organisation (openapi `EventResponse`, from
 * `GET /v1/events` and `GET /v1/events/{event_id}`, current wire only).
 *
 * @example Reading the fields
 * ```ts
 * import type { AuditEvent } from "@microsandbox/edge";
 *
 * function line(event: AuditEvent): string {
 *   return `${event.timestamp.toISOString()} ${event.category}/${event.eventType}`;
 * }
 * ```
 */
export interface AuditEvent {
  /** The event's id (a UUID). */
  readonly id: string;
  /** The organisation's id (a UUID). */
  readonly orgId: string;
  /** The area it belongs to, such as `sandbox`. */
  readonly category: string;
  /** What happened, such as `sandbox_created` or `api_key_created`. */
  readonly eventType: string;
  /** Who did it. */
  readonly actor: EventActor;
  /** The event's details, as the cloud sent them (any JSON value). */
  readonly payload: unknown;
  /** When it happened. */
  readonly timestamp: Date;
}
