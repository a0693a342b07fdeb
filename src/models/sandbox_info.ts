// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { SandboxSpec } from "./sandbox_spec.ts";

/**
 * Where a sandbox is in its lifecycle.
 *
 * @example Whether to keep polling
 * ```ts
 * import type { SandboxStatus } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * function inTransition(status: SandboxStatus): boolean {
 *   switch (status) {
 *     case "created":
 *     case "running":
 *     case "stopped":
 *     case "failed":
 *       return false;
 *     case "starting":
 *     case "stopping":
 *       return true;
 *   }
 * }
 * assert.ok(inTransition("starting"));
 * assert.ok(!inTransition("failed"));
 * ```
 */
export type SandboxStatus = "created" | "starting" | "running" | "stopping" | "stopped" | "failed";

/** The statuses, in lifecycle order. */
export const SANDBOX_STATUSES: readonly SandboxStatus[] = [
  "created",
  "starting",
  "running",
  "stopping",
  "stopped",
  "failed",
];

/**
 * What the cloud says of a sandbox, the same whichever wire generation it speaks.
 *
 * @example Reading the fields
 * ```ts
 * import type { SandboxInfo } from "@microsandbox/edge";
 *
 * function describe(info: SandboxInfo): string {
 *   return `${info.name} is ${info.status}${info.lastError ? `: ${info.lastError}` : ""}`;
 * }
 * ```
 */
export interface SandboxInfo {
  /** The server's id (a UUID). */
  readonly id: string;
  /** The organisation the API key belongs to. */
  readonly orgId: string;
  /** The name, unique in the organisation. */
  readonly name: string;
  /** The URL-safe alias (current wire; `undefined` on v0.5). */
  readonly slug: string | undefined;
  /** The lifecycle status. */
  readonly status: SandboxStatus;
  /** Why a starting sandbox is not running yet (`scheduling`, `insufficient_capacity`). */
  readonly statusReason: string | undefined;
  /** Whether the sandbox is removed once it stops. */
  readonly ephemeral: boolean;
  /** When it was created. */
  readonly createdAt: Date;
  /** When it last started. */
  readonly startedAt: Date | undefined;
  /** When it last stopped. */
  readonly stoppedAt: Date | undefined;
  /** The last failure (`last_failure_message`, or `last_error` on v0.5). */
  readonly lastError: string | undefined;
  /** What it is made of, as far as the server tells. */
  readonly spec: SandboxSpec;
}
