// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * What a volume is: the organisation's one shared host disk (`host`, nameless, the default
 * volume) or a named volume someone created (`managed`).
 *
 * @example Telling the default volume apart
 * ```ts
 * import type { VolumeKind } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const deletable = (kind: VolumeKind): boolean => kind === "managed";
 * assert.ok(!deletable("host"));
 * ```
 */
export type VolumeKind = "host" | "managed";

/**
 * The kinds of volume, as the cloud names them.
 *
 * @example Checking a value read from elsewhere
 * ```ts
 * import { VOLUME_KINDS } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.ok(VOLUME_KINDS.includes("managed"));
 * ```
 */
export const VOLUME_KINDS: readonly VolumeKind[] = ["host", "managed"];

/**
 * Where a volume is in its life: `active`, or `deleting` once its removal is scheduled.
 *
 * @example Skipping volumes on their way out
 * ```ts
 * import type { VolumeStatus } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const usable = (status: VolumeStatus): boolean => status === "active";
 * assert.ok(!usable("deleting"));
 * ```
 */
export type VolumeStatus = "active" | "deleting";

/**
 * The statuses of a volume, as the cloud names them.
 *
 * @example Checking a value read from elsewhere
 * ```ts
 * import { VOLUME_STATUSES } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([...VOLUME_STATUSES], ["active", "deleting"]);
 * ```
 */
export const VOLUME_STATUSES: readonly VolumeStatus[] = ["active", "deleting"];

/**
 * A volume as the cloud describes it (openapi `VolumeResponse`, current wire only).
 *
 * @example How full a volume is
 * ```ts
 * import type { VolumeInfo } from "@microsandbox/edge";
 *
 * function fill(volume: VolumeInfo): string {
 *   if (volume.usedBytes === undefined) return "usage unknown";
 *   if (volume.capacityBytes === undefined) return `${volume.usedBytes} bytes, no cap`;
 *   return `${Math.round((100 * volume.usedBytes) / volume.capacityBytes)}% of the cap`;
 * }
 * ```
 */
export interface VolumeInfo {
  /** The volume's id (a UUID). */
  readonly id: string;
  /** Its name, unique in the organisation; `undefined` for the host volume, which has none. */
  readonly name: string | undefined;
  /** Whether it is the organisation's host volume or a named one. */
  readonly kind: VolumeKind;
  /** Where it is in its life. */
  readonly status: VolumeStatus;
  /** Bytes used, when the cloud sampled them (never on create). */
  readonly usedBytes: number | undefined;
  /** Its storage cap in bytes, when it has one. */
  readonly capacityBytes: number | undefined;
  /** Its storage cap in GiB (`capacityBytes` / 2^30), when it has one. */
  readonly quotaGib: number | undefined;
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** When it was created. */
  readonly createdAt: Date;
  /** When it last changed. */
  readonly updatedAt: Date;
}

/**
 * What {@linkcode Volumes.create} makes: a named volume, optionally capped and labelled.
 *
 * @example A capped, labelled volume
 * ```ts
 * import type { VolumeSpec } from "@microsandbox/edge";
 *
 * const cache: VolumeSpec = { name: "pip-cache", quotaGib: 5, labels: { team: "ml" } };
 * ```
 */
export interface VolumeSpec {
  /** Lowercase letters and digits with single inner hyphens, unique in the organisation. */
  name: string;
  /** Labels, a free-form string map. */
  labels?: Record<string, string> | undefined;
  /** A storage cap in whole GiB, at least 1; none when unset. */
  quotaGib?: number | undefined;
}

/**
 * What {@linkcode Volumes.update} changes; an unset field stays as it is.
 *
 * @example Lifting a cap and clearing the labels
 * ```ts
 * import type { VolumeUpdate } from "@microsandbox/edge";
 *
 * const change: VolumeUpdate = { quotaGib: null, labels: {} };
 * ```
 */
export interface VolumeUpdate {
  /** The new cap in whole GiB, or `null` to remove the cap. */
  quotaGib?: number | null | undefined;
  /** The labels, replacing the old ones wholesale (`{}` clears them). */
  labels?: Record<string, string> | undefined;
}

/**
 * One file or directory in a volume, as its file routes describe it.
 *
 * @example Sizes of the files in a listing
 * ```ts
 * import type { VolumeFileInfo } from "@microsandbox/edge";
 *
 * const sizes = (entries: VolumeFileInfo[]): number[] =>
 *   entries.filter((entry) => entry.kind === "file").map((entry) => entry.size);
 * ```
 */
export interface VolumeFileInfo {
  /** Its path in the volume. */
  readonly path: string;
  /** Whether it is a file, a directory, a symbolic link or something else. */
  readonly kind: "file" | "directory" | "symlink" | "other";
  /** Its size in bytes. */
  readonly size: number;
  /** Its permission bits, such as `0o644`. */
  readonly mode: number;
  /** Its owner's user id. */
  readonly uid: number;
  /** Its owner's group id. */
  readonly gid: number;
  /** Whether it is read-only. */
  readonly readonly: boolean;
  /** When it was last read, when known. */
  readonly accessedAt: Date | undefined;
  /** When it last changed, when known. */
  readonly modifiedAt: Date | undefined;
  /** When it was created, when known. */
  readonly createdAt: Date | undefined;
}
