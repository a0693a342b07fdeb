// The summary a run prints: what ran, what was injected, what the detectors caught.

import { BREAKS } from "./_breaks.ts";
import { mib } from "./_memory.ts";
import type { SoakReport } from "./_run.ts";

/** The summary as lines of text; the last says PASS or FAIL. */
export function summary(report: SoakReport): string {
  const { flags, failures } = report;
  const lines = [
    `soak: ${report.seconds.toFixed(1)} s, seed ${flags.seed}, ${flags.tenants} tenants, ` +
    `${report.clients} clients, ${report.requests} requests and sockets (cap ${flags.maxRequests}), ` +
    `${mib(report.bytesScanned)} scanned for the API key`,
    `outcomes: ${sorted(report.counts)}`,
    `faults injected: ${sorted(report.faults)}`,
    `server 5xx failures: ${sorted(new Map(Object.entries(report.serverErrors)))}`,
  ];
  for (const ledger of report.ledgers) {
    const { run, completed } = ledger.commands();
    lines.push(
      `${ledger.name}: ${run} commands (${completed} completed), ${ledger.entries} entries, ${ledger.lines} lines received`,
    );
  }
  if (report.memory) {
    const { first, last, growth } = report.memory;
    lines.push(
      `server memory (median): rss ${mib(first.rss)} in the first minute -> ${
        mib(last.rss)
      } in the last 20 s ` +
        `(${sign(growth.rss)}), heap ${mib(first.heapUsed)} -> ${mib(last.heapUsed)} (${
          sign(growth.heapUsed)
        }); ` +
        `peak rss ${
          mib(report.peakRss)
        }; ${first.samples}+${last.samples} of ${report.memorySamples} samples`,
    );
  } else {
    lines.push(
      `server memory: not checked (run of ${flags.duration} s); peak rss ${mib(report.peakRss)}`,
    );
  }
  if (flags.break) {
    lines.push(`planted defect: ${flags.break} (the ${BREAKS[flags.break]} detector must fire)`);
  }
  for (const { detector, what } of failures.kept) lines.push(`FAILURE [${detector}] ${what}`);
  lines.push(
    failures.total === 0 ? "PASS" : `FAIL: ${failures.total} failures (${sorted(failures.counts)})`,
  );
  return lines.join("\n");
}

function sorted(counts: Map<string, number>): string {
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(
    ", ",
  ) || "none";
}

function sign(bytes: number): string {
  return `${bytes >= 0 ? "+" : ""}${mib(bytes)}`;
}
