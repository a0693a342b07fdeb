// The memory-growth detector: the server (the adapter alone, in a child process) reports its
// resident set and V8 heap every second; the median of the first window after warm-up is compared
// with the median of the last window.
//
// The bounds: the V8 heap's median may grow by less than 48 MiB, the resident set's by less than
// 128 MiB. On a shared 2-core machine a healthy Deno server's RSS moves by tens of MiB with no
// leak at all (clean 2-minute runs measured -71 MiB and +45 MiB): V8 sizes its heap to the
// allocation rate, the allocator keeps freed pages per thread, and the soak's own buffers (up to
// 1 MiB queued per WebSocket, a slow reader's backlog) come and go. The heap after warm-up is
// steadier (within ±30 MiB in clean runs). Medians of ~50 and ~20 samples ignore a GC pause or a
// burst. A leak of retained JS objects of a few KiB per request is 50-100 MiB of heap over the
// ~6,000 requests of a run; bytes kept outside the heap (buffers) show in RSS only, which the
// wider bound still catches at 1 MiB/s.

import type { Failures } from "./_failures.ts";

const MIB = 1024 * 1024;

/** The most the medians may grow, in bytes: the heap's, and the resident set's. */
export const MAX_GROWTH = { heapUsed: 48 * MIB, rss: 128 * MIB } as const;

/** One report of the server. */
export interface MemorySample {
  /** Seconds since the soak started. */
  at: number;
  rss: number;
  heapUsed: number;
}

/** The windows compared: after warm-up to the end of the first minute, and the last 20 s. */
export interface MemoryWindows {
  first: [number, number];
  last: [number, number];
}

/** The windows of a run of `duration` seconds: [10, min(60, duration/2)] and the last 20 s. */
export function memoryWindows(duration: number): MemoryWindows {
  return { first: [10, Math.min(60, duration / 2)], last: [Math.max(0, duration - 20), duration] };
}

/** The medians of each window, and their growth. */
export interface MemoryVerdict {
  first: { rss: number; heapUsed: number; samples: number };
  last: { rss: number; heapUsed: number; samples: number };
  growth: { rss: number; heapUsed: number };
}

/** Compares the windows; records a `memory_growth` when RSS or heap grew past its bound. */
export function memoryVerdict(
  samples: readonly MemorySample[],
  windows: MemoryWindows,
  failures: Failures,
): MemoryVerdict | undefined {
  const within = ([from, to]: [number, number]) =>
    samples.filter((s) => s.at >= from && s.at <= to);
  const first = within(windows.first);
  const last = within(windows.last);
  if (first.length < 3 || last.length < 3) {
    failures.add("memory_growth", `too few memory samples (${first.length} then ${last.length})`);
    return undefined;
  }
  const summary = (window: MemorySample[]) => ({
    rss: median(window.map((s) => s.rss)),
    heapUsed: median(window.map((s) => s.heapUsed)),
    samples: window.length,
  });
  const verdict = { first: summary(first), last: summary(last), growth: { rss: 0, heapUsed: 0 } };
  verdict.growth.rss = verdict.last.rss - verdict.first.rss;
  verdict.growth.heapUsed = verdict.last.heapUsed - verdict.first.heapUsed;
  for (const key of ["rss", "heapUsed"] as const) {
    if (verdict.growth[key] >= MAX_GROWTH[key]) {
      failures.add(
        "memory_growth",
        `server ${key} grew from ${mib(verdict.first[key])} to ${mib(verdict.last[key])} ` +
          `(medians of the first minute and the last 20 s; the bound is ${mib(MAX_GROWTH[key])})`,
      );
    }
  }
  return verdict;
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
