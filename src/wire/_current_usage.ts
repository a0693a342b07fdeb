// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// Quotas and usage on today's cloud: `QuotaUsage`, `UsageSummary`, `UsageBreakdown` and
// `StorageBreakdown`.

import type {
  QuotaUsage,
  StorageBreakdown,
  UsageBreakdown,
  UsageSummary,
} from "../models/usage.ts";
import {
  arrayOf,
  boolean,
  date,
  decodeJson,
  integer,
  type JsonCodec,
  number,
  object,
  optional,
  required,
  string,
  withDefault,
} from "./_json_codec.ts";
import type { UsageWire } from "./wire_adapter.ts";

const QUOTAS: JsonCodec<QuotaUsage> = object({
  hardCap: required(boolean),
  vcpuHoursUsed: required(number),
  memoryGibHoursUsed: required(number),
  includedVcpuHours: optional(integer),
  includedMemoryGibHours: optional(integer),
  poolExhausted: required(boolean),
  totalSandboxes: required(integer),
  concurrentEphemeralRunning: required(integer),
  concurrentPersistentRunning: required(integer),
  isSuspended: required(boolean),
  maxSandboxes: optional(integer),
  maxConcurrentEphemeralRunning: optional(integer),
  maxConcurrentPersistentRunning: optional(integer),
  maxVcpusPerSandbox: optional(integer),
  maxMemoryMibPerSandbox: optional(integer),
  maxDiskSizeMibPerSandbox: optional(integer),
  maxUptimeMinutesPerSandbox: optional(integer),
  includedStorageGib: optional(integer),
  includedDiskGibHours: optional(integer),
  maxTotalStorageGib: optional(integer),
});

const SUMMARY: JsonCodec<UsageSummary> = object({
  periodStart: required(date),
  periodEnd: required(date),
  lineItems: required(arrayOf(object({
    name: required(string),
    quantity: required(number),
    unit: required(string),
    amountCents: required(integer),
  }))),
  daily: withDefault(
    arrayOf(object({ date: required(date), metric: required(string), quantity: required(number) })),
    () => [],
  ),
  totalCents: required(integer),
  projectedSpendCents: optional(integer),
  storageGib: optional(number),
});

const BREAKDOWN: JsonCodec<UsageBreakdown> = object({
  rows: required(arrayOf(object({
    sandboxId: required(string),
    day: required(date),
    vcpuSeconds: required(number),
    memMibSeconds: required(number),
    diskMibSeconds: required(number),
  }))),
  sandboxes: required(arrayOf(object({
    id: required(string),
    name: required(string),
    slug: required(string),
  }))),
});

const STORAGE: JsonCodec<StorageBreakdown> = object({
  rows: required(arrayOf(object({
    volumeId: required(string),
    day: required(date),
    mibSeconds: required(number),
  }))),
  volumes: required(arrayOf(object({ id: required(string), name: optional(string) }))),
});

/** The quota and usage reads of msb-cloud API 0.1.0. */
export const currentUsage: UsageWire = {
  decodeQuotas: (body) => decodeJson(QUOTAS, body, "quotas"),
  decodeSummary: (body) => decodeJson(SUMMARY, body, "usage"),
  decodeBreakdown: (body) => decodeJson(BREAKDOWN, body, "breakdown"),
  decodeStorage: (body) => decodeJson(STORAGE, body, "breakdown"),
};
