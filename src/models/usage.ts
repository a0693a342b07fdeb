// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * The organisation's quotas and what it used this billing month (`GET /v1/quotas`, current wire
 * only). A limit that is `undefined` is unlimited (or the system's maximum, for the per-sandbox
 * ones).
 *
 * @example Room for one more sandbox?
 * ```ts
 * import type { QuotaUsage } from "@microsandbox/edge";
 *
 * function roomForOne(quotas: QuotaUsage): boolean {
 *   if (quotas.isSuspended || quotas.poolExhausted) return false;
 *   return quotas.maxSandboxes === undefined || quotas.totalSandboxes < quotas.maxSandboxes;
 * }
 * ```
 */
export interface QuotaUsage {
  /** Whether the plan stops at its included pools (no overage). */
  readonly hardCap: boolean;
  /** vCPU-hours used this month. */
  readonly vcpuHoursUsed: number;
  /** Memory GiB-hours used this month. */
  readonly memoryGibHoursUsed: number;
  /** Included vCPU-hours a month. */
  readonly includedVcpuHours: number | undefined;
  /** Included memory GiB-hours a month. */
  readonly includedMemoryGibHours: number | undefined;
  /** Whether the pools are used up: sandboxes are stopped and starts refused. */
  readonly poolExhausted: boolean;
  /** Sandboxes of the organisation, in every state. */
  readonly totalSandboxes: number;
  /** Ephemeral sandboxes starting or running now. */
  readonly concurrentEphemeralRunning: number;
  /** Persistent sandboxes starting or running now. */
  readonly concurrentPersistentRunning: number;
  /** Whether sandbox use is suspended for the organisation. */
  readonly isSuspended: boolean;
  /** The most sandboxes the organisation may have. */
  readonly maxSandboxes: number | undefined;
  /** The most ephemeral sandboxes running at once. */
  readonly maxConcurrentEphemeralRunning: number | undefined;
  /** The most persistent sandboxes running at once. */
  readonly maxConcurrentPersistentRunning: number | undefined;
  /** The most vCPUs a sandbox may have. */
  readonly maxVcpusPerSandbox: number | undefined;
  /** The most memory (MiB) a sandbox may have. */
  readonly maxMemoryMibPerSandbox: number | undefined;
  /** The largest writable disk (MiB) a sandbox may have. */
  readonly maxDiskSizeMibPerSandbox: number | undefined;
  /** The longest a sandbox may run, in minutes. */
  readonly maxUptimeMinutesPerSandbox: number | undefined;
  /** Included durable storage (GiB) a month. */
  readonly includedStorageGib: number | undefined;
  /** Included writable-disk GiB-hours a month. */
  readonly includedDiskGibHours: number | undefined;
  /** The organisation's durable-storage cap (GiB). */
  readonly maxTotalStorageGib: number | undefined;
}

/**
 * This billing period's usage and cost (`GET /v1/billing/usage`, current wire only).
 *
 * @example The bill so far
 * ```ts
 * import type { UsageSummary } from "@microsandbox/edge";
 *
 * function bill(usage: UsageSummary): string {
 *   const lines = usage.lineItems.map((item) => `${item.name}: ${item.quantity} ${item.unit}`);
 *   return [...lines, `total: $${(usage.totalCents / 100).toFixed(2)}`].join("\n");
 * }
 * ```
 */
export interface UsageSummary {
  /** When the period began. */
  readonly periodStart: Date;
  /** When it ends. */
  readonly periodEnd: Date;
  /** One entry per billable metric or charge. */
  readonly lineItems: readonly {
    name: string;
    quantity: number;
    unit: string;
    amountCents: number;
  }[];
  /** One entry per day and metric, for charts; empty when the cloud has none. */
  readonly daily: readonly { date: Date; metric: string; quantity: number }[];
  /** The spend so far, in cents. */
  readonly totalCents: number;
  /** The spend projected to the period's end, in cents, when the cloud says. */
  readonly projectedSpendCents: number | undefined;
  /** Durable storage in use (GiB), when it was measured. */
  readonly storageGib: number | undefined;
}

/**
 * Compute use per sandbox and UTC day (`GET /v1/billing/usage/sandbox`, current wire only):
 * seconds-based quantities, and the names of the sandboxes the rows refer to.
 *
 * @example vCPU-hours per sandbox name
 * ```ts
 * import type { UsageBreakdown } from "@microsandbox/edge";
 *
 * function vcpuHours(breakdown: UsageBreakdown): Map<string, number> {
 *   const names = new Map(breakdown.sandboxes.map((s) => [s.id, s.name]));
 *   const hours = new Map<string, number>();
 *   for (const row of breakdown.rows) {
 *     const name = names.get(row.sandboxId) ?? row.sandboxId;
 *     hours.set(name, (hours.get(name) ?? 0) + row.vcpuSeconds / 3600);
 *   }
 *   return hours;
 * }
 * ```
 */
export interface UsageBreakdown {
  /** One row per sandbox and day. */
  readonly rows: readonly {
    sandboxId: string;
    /** UTC midnight of the day. */
    day: Date;
    vcpuSeconds: number;
    memMibSeconds: number;
    diskMibSeconds: number;
  }[];
  /** The sandboxes the rows refer to. */
  readonly sandboxes: readonly { id: string; name: string; slug: string }[];
}

/**
 * Durable storage per volume and UTC day (`GET /v1/billing/usage/storage`, current wire only);
 * rows may refer to deleted volumes, which `volumes` does not list.
 *
 * @example MiB-seconds per volume
 * ```ts
 * import type { StorageBreakdown } from "@microsandbox/edge";
 *
 * function perVolume(breakdown: StorageBreakdown): Map<string, number> {
 *   const sums = new Map<string, number>();
 *   for (const row of breakdown.rows) {
 *     sums.set(row.volumeId, (sums.get(row.volumeId) ?? 0) + row.mibSeconds);
 *   }
 *   return sums;
 * }
 * ```
 */
export interface StorageBreakdown {
  /** One row per volume and day. */
  readonly rows: readonly { volumeId: string; day: Date; mibSeconds: number }[];
  /** The volumes the rows refer to; `name` is `undefined` for the host volume. */
  readonly volumes: readonly { id: string; name: string | undefined }[];
}
