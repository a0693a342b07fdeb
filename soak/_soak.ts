// What every client of the soak shares: where the adapter is, the tenants, the detectors, the
// request cap and the signal that ends the run; and the loop each client runs its operations in.

import type { Failures } from "./_failures.ts";
import { type Progress, withDeadline } from "./_deadline.ts";
import type { Random } from "./_random.ts";
import type { Traffic } from "./_traffic.ts";

/** One tenant: its name prefix and bearer token; it may touch only `<name>-…` sandboxes. */
export interface Tenant {
  name: string;
  token: string;
}

/** The run, as the clients see it. */
export interface Soak {
  /** `http://127.0.0.1:PORT`, where the sandbox routes are mounted. */
  base: string;
  tenants: readonly Tenant[];
  traffic: Traffic;
  failures: Failures;
  random: Random;
  /** The deadline of one operation, in milliseconds. */
  deadlineMs: number;
  /** Aborts when the run's time is up: clients finish their operation and stop. */
  stop: AbortSignal;
  /** How many processes running `cmd` the cloud has in the sandbox named `sandbox`. */
  running(sandbox: string, cmd: string): number;
  /** Outcomes counted by name (`exec.ok`, `logs.resume`, `ws.upstream_error`, …). */
  counts: Map<string, number>;
}

/** Counts one outcome. */
export function count(soak: Soak, name: string): void {
  soak.counts.set(name, (soak.counts.get(name) ?? 0) + 1);
}

/** The headers of a tenant's requests. */
export function auth(tenant: Tenant): Record<string, string> {
  return { authorization: `Bearer ${tenant.token}` };
}

/** Whether the clients should stop: time is up or the request cap is reached. */
export function over(soak: Soak): boolean {
  return soak.stop.aborted || soak.traffic.exhausted;
}

/** A pause that ends early when the run ends. */
export function pause(soak: Soak, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      soak.stop.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    soak.stop.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs `op` again and again until the run is over, each time under the deadline; a hang is
 * recorded by the deadline, anything else the operation throws is a failure of the client's own
 * checks (recorded as `server`: the adapter did something no detector foresaw).
 */
export async function loop(
  soak: Soak,
  what: string,
  op: (signal: AbortSignal, progress: Progress, round: number) => Promise<void>,
): Promise<void> {
  for (let round = 0; !over(soak); round++) {
    const label = `${what} #${round}`;
    try {
      await withDeadline(
        soak.failures,
        label,
        soak.deadlineMs,
        (signal, progress) => op(signal, progress, round),
      );
    } catch (error) {
      if ((error as Error)?.name === "Hung") continue;
      soak.failures.add("server", `${label}: ${(error as Error)?.stack ?? error}`);
      await pause(soak, 500);
    }
  }
}
