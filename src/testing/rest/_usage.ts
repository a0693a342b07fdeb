/**
 * The local cloud's metering: every run of every sandbox (from start to stop, failure or
 * deletion; an open run accrues up to now) with the vCPUs, memory and disk its spec asked for,
 * read back as openapi `QuotaUsage`, `UsageSummary` and `UsageBreakdown` bodies. The local cloud
 * has no plan: every limit is `null` (unlimited) and nothing costs anything. Storage is empty
 * until it has volumes (`StorageBreakdown` with no rows).
 *
 * @module
 */

import type { SandboxRecord } from "./_sandbox_record.ts";
import type { SandboxStore } from "./_store.ts";

const DAY_MS = 86_400_000;
const MIB_PER_GIB = 1024;

/** One run of one sandbox. */
interface Run {
  readonly sandboxId: string;
  readonly vcpus: number;
  readonly memMib: number;
  readonly diskMib: number;
  readonly start: number;
  end: number | undefined;
}

/** What a sandbox is now, for the quota counts and the breakdown's directory. */
interface Known {
  name: string;
  slug: string;
  ephemeral: boolean;
  status: SandboxRecord["status"] | "deleted";
}

/** The seconds-based quantities of one sandbox on one day. */
interface DayUsage {
  vcpuSeconds: number;
  memMibSeconds: number;
  diskMibSeconds: number;
}

/** The runs of one local cloud's sandboxes. */
export class UsageMeter {
  readonly #runs: Run[] = [];
  readonly #known = new Map<string, Known>();

  /**
   * Meters the store's sandboxes from now on.
   *
   * @param store The cloud's sandboxes.
   */
  constructor(store: SandboxStore) {
    store.watch((record, change) => {
      const status = change === "renamed" ? record.status : change;
      const { name, slug, ephemeral } = record;
      this.#known.set(record.id, { name, slug, ephemeral, status });
      if (change === "starting") {
        this.#runs.push({ ...resourcesOf(record), start: Date.now(), end: undefined });
      }
      if (change === "stopped" || change === "failed" || change === "deleted") {
        for (const run of this.#runs) if (run.sandboxId === record.id) run.end ??= Date.now();
      }
    });
  }

  /**
   * The org's quotas and what it used this month, as openapi `QuotaUsage`.
   *
   * @returns Its JSON.
   */
  quotas(): Record<string, unknown> {
    const live = [...this.#known.values()].filter((s) => s.status !== "deleted");
    const running = (ephemeral: boolean) =>
      live.filter((s) =>
        s.ephemeral === ephemeral && (s.status === "starting" || s.status === "running")
      )
        .length;
    const total = this.#total(monthStart(Date.now()));
    return {
      hard_cap: false,
      included_vcpu_hours: null,
      included_memory_gib_hours: null,
      vcpu_hours_used: total.vcpuSeconds / 3600,
      memory_gib_hours_used: total.memMibSeconds / MIB_PER_GIB / 3600,
      pool_exhausted: false,
      total_sandboxes: live.length,
      concurrent_ephemeral_running: running(true),
      concurrent_persistent_running: running(false),
      is_suspended: false,
      max_sandboxes: null,
      max_concurrent_ephemeral_running: null,
      max_concurrent_persistent_running: null,
      max_vcpus_per_sandbox: null,
      max_memory_mib_per_sandbox: null,
      max_disk_size_mib_per_sandbox: null,
      max_uptime_minutes_per_sandbox: null,
      included_storage_gib: null,
      included_disk_gib_hours: null,
      max_total_storage_gib: null,
    };
  }

  /**
   * This month's usage, as openapi `UsageSummary`: vCPU-hours and memory GiB-hours, at no cost.
   *
   * @returns Its JSON.
   */
  summary(): Record<string, unknown> {
    const now = Date.now();
    const start = monthStart(now);
    const total = this.#total(start);
    const daily = [...this.#days(start)].flatMap(([day, usage]) => [
      { date: isoDay(day), metric: "vcpu_hours", quantity: usage.vcpuSeconds / 3600 },
      { date: isoDay(day), metric: "memory_gib_hours", quantity: gibHours(usage.memMibSeconds) },
    ]);
    return {
      period_start: new Date(start).toISOString(),
      period_end: new Date(nextMonthStart(now)).toISOString(),
      line_items: [
        { name: "vCPU", quantity: total.vcpuSeconds / 3600, unit: "vcpu_hours", amount_cents: 0 },
        {
          name: "Memory",
          quantity: gibHours(total.memMibSeconds),
          unit: "gib_hours",
          amount_cents: 0,
        },
      ],
      daily,
      total_cents: 0,
      projected_spend_cents: 0,
      storage_gib: null,
    };
  }

  /**
   * This month's usage per sandbox and day, as openapi `UsageBreakdown`.
   *
   * @returns Its JSON.
   */
  bySandbox(): Record<string, unknown> {
    const rows: Record<string, unknown>[] = [];
    const ids = new Set<string>();
    for (const [key, usage] of this.#perSandboxDay(monthStart(Date.now()))) {
      const [sandboxId, day] = key.split("@") as [string, string];
      ids.add(sandboxId);
      rows.push({
        sandbox_id: sandboxId,
        day: isoDay(Number(day)),
        vcpu_seconds: usage.vcpuSeconds,
        mem_mib_seconds: usage.memMibSeconds,
        disk_mib_seconds: usage.diskMibSeconds,
      });
    }
    const sandboxes = [...ids].map((id) => {
      const known = this.#known.get(id);
      return { id, name: known?.name ?? "", slug: known?.slug ?? "" };
    });
    return { rows, sandboxes };
  }

  /**
   * Durable storage per volume and day, as openapi `StorageBreakdown`: none without volumes.
   *
   * @returns Its JSON.
   */
  storage(): Record<string, unknown> {
    return { rows: [], volumes: [] };
  }

  #total(from: number): DayUsage {
    const total = emptyUsage();
    for (const usage of this.#perSandboxDay(from).values()) add(total, usage);
    return total;
  }

  #days(from: number): Map<number, DayUsage> {
    const days = new Map<number, DayUsage>();
    for (const [key, usage] of this.#perSandboxDay(from)) {
      const day = Number(key.split("@")[1]);
      const sum = days.get(day) ?? emptyUsage();
      add(sum, usage);
      days.set(day, sum);
    }
    return days;
  }

  /** Usage keyed by `sandboxId@dayStartMs`, from `from` to now. */
  #perSandboxDay(from: number): Map<string, DayUsage> {
    const now = Date.now();
    const out = new Map<string, DayUsage>();
    for (const run of this.#runs) {
      const end = run.end ?? now;
      for (let t = Math.max(run.start, from); t < end;) {
        const day = t - (t % DAY_MS);
        const until = Math.min(end, day + DAY_MS);
        const secs = (until - t) / 1000;
        const key = `${run.sandboxId}@${day}`;
        const usage = out.get(key) ?? emptyUsage();
        add(usage, {
          vcpuSeconds: secs * run.vcpus,
          memMibSeconds: secs * run.memMib,
          diskMibSeconds: secs * run.diskMib,
        });
        out.set(key, usage);
        t = until;
      }
    }
    return out;
  }
}

function resourcesOf(record: SandboxRecord): Omit<Run, "start" | "end"> {
  const resources = (record.spec.resources ?? {}) as Record<string, unknown>;
  const num = (value: unknown, fallback: number) => typeof value === "number" ? value : fallback;
  return {
    sandboxId: record.id,
    vcpus: num(resources.vcpus, 1),
    memMib: num(resources.memory_mib, 512),
    diskMib: num(resources.disk_size_mib, 0),
  };
}

function emptyUsage(): DayUsage {
  return { vcpuSeconds: 0, memMibSeconds: 0, diskMibSeconds: 0 };
}

function add(sum: DayUsage, usage: DayUsage): void {
  sum.vcpuSeconds += usage.vcpuSeconds;
  sum.memMibSeconds += usage.memMibSeconds;
  sum.diskMibSeconds += usage.diskMibSeconds;
}

function gibHours(mibSeconds: number): number {
  return mibSeconds / MIB_PER_GIB / 3600;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString();
}

function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextMonthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
