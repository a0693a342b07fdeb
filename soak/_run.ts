// One soak run: the local cloud here (its faults driven from here), the server under soak in a
// child process, the tenants' clients against it for the run's duration, then the checks that
// need the run to be over: every log caught up, nothing left running, memory.

import { type LocalCloud, startLocalCloud } from "../src/testing/mod.ts";
import { injectFaults } from "./_faults.ts";
import { Failures } from "./_failures.ts";
import { KeyWatch } from "./_key_scan.ts";
import type { LogLedger } from "./_log_ledger.ts";
import { type MemoryVerdict, memoryVerdict, memoryWindows } from "./_memory.ts";
import { Random } from "./_random.ts";
import { startSoakServer } from "./_server.ts";
import type { Soak, Tenant } from "./_soak.ts";
import { Traffic } from "./_traffic.ts";
import type { SoakFlags } from "./_flags.ts";
import { CLIENTS_PER_TENANT, tenantClients } from "./_clients/roster.ts";
import { setUpSandboxes } from "./_setup.ts";

const TENANT_NAMES = ["acme", "globex", "initech", "umbrella", "hooli"];

/** How long the cloud may take, once the clients are done, to end every process and stream. */
const SETTLE_MS = 15_000;
/** How long a hang found by `settled` is then watched, to say when (if ever) it went. */
const LINGER_MS = 45_000;

/** What a run found. */
export interface SoakReport {
  flags: SoakFlags;
  seconds: number;
  clients: number;
  requests: number;
  bytesScanned: number;
  counts: Map<string, number>;
  faults: Map<string, number>;
  ledgers: LogLedger[];
  memory: MemoryVerdict | undefined;
  memorySamples: number;
  peakRss: number;
  failures: Failures;
  /** The server's 5xx failures by kind and message. */
  serverErrors: Record<string, number>;
}

/** Runs the soak. */
export async function runSoak(flags: SoakFlags): Promise<SoakReport> {
  const t0 = performance.now();
  const failures = new Failures();
  const random = new Random(flags.seed);
  const apiKey = `msb_soak_${hex(16)}/+="`;
  await using cloud = await startLocalCloud({
    apiKey,
    bootDelayMs: 20,
    stopDelayMs: 10,
    logHeartbeatMs: 2_000,
  });
  const tenants: Tenant[] = TENANT_NAMES.slice(0, flags.tenants).map((name) => ({
    name,
    token: `tok-${name}-${hex(8)}`,
  }));
  await using server = await startSoakServer(
    {
      ...Deno.env.toObject(),
      SOAK_CLOUD_URL: cloud.url,
      SOAK_CLOUD_KEY: apiKey,
      SOAK_TENANTS: tenants.map(({ name, token }) => `${name}:${token}`).join(","),
      ...(flags.break ? { SOAK_BREAK: flags.break } : {}),
    },
    failures,
    t0,
  );
  const keys = new KeyWatch(apiKey, failures);
  const stop = new AbortController();
  const ids = new Map<string, string>();
  const soak: Soak = {
    base: server.url,
    tenants,
    traffic: new Traffic(flags.maxRequests, keys),
    failures,
    random,
    deadlineMs: flags.deadlineMs,
    stop: stop.signal,
    counts: new Map(),
    running: (sandbox, cmd) =>
      cloud.processes().filter((p) => p.sandbox === ids.get(sandbox) && p.cmd === cmd).length,
  };
  for (const [name, id] of await setUpSandboxes(soak)) ids.set(name, id);
  const faults = new Map<string, number>();
  const started = performance.now();
  const timer = setTimeout(() => stop.abort(), flags.duration * 1000);
  const injecting = injectFaults(cloud, random, flags.faultEveryMs, stop.signal, faults);
  const ledgers = await Promise.all(tenants.map((tenant) => tenantClients(soak, tenant)));
  clearTimeout(timer);
  stop.abort();
  await injecting;
  const seconds = (performance.now() - started) / 1000;
  await settled(cloud, failures);
  if (server.exited() !== undefined) {
    failures.add(
      "server",
      `the server exited with code ${server.exited()}: ${server.stderr().slice(-2000)}`,
    );
  }
  const checkMemory = flags.memory === "on" || (flags.memory === "auto" && flags.duration >= 60);
  const runStart = (started - t0) / 1000;
  const samples = server.memory.map((s) => ({ ...s, at: s.at - runStart }));
  return {
    flags,
    seconds,
    clients: tenants.length * CLIENTS_PER_TENANT,
    requests: soak.traffic.requests,
    bytesScanned: keys.bytes,
    counts: soak.counts,
    faults,
    ledgers,
    memory: checkMemory
      ? memoryVerdict(samples, memoryWindows(flags.duration), failures)
      : undefined,
    memorySamples: samples.length,
    peakRss: Math.max(0, ...samples.map((s) => s.rss)),
    failures,
    serverErrors: server.errors(),
  };
}

/**
 * Waits until the cloud runs no process and serves no stream; what is left after SETTLE_MS is a
 * hang, reported with how long it then took to go (up to LINGER_MS), to tell a leak from a
 * command ended late by its time limit.
 */
async function settled(cloud: LocalCloud, failures: Failures): Promise<void> {
  const start = performance.now();
  const left = () => ({
    processes: cloud.processes().map((p) => p.cmd),
    logStreams: cloud.liveLogStreams(),
    sockets: cloud.liveSockets(),
  });
  const clear = () => {
    const now = left();
    return now.processes.length === 0 && now.logStreams === 0 && now.sockets === 0;
  };
  while (!clear() && performance.now() - start < SETTLE_MS) await sleep(100);
  if (clear()) return;
  const what = JSON.stringify(left());
  while (!clear() && performance.now() - start < LINGER_MS) await sleep(100);
  const gone = clear()
    ? `gone ${((performance.now() - start) / 1000).toFixed(1)} s after the clients ended`
    : `still there after ${LINGER_MS / 1000} s`;
  failures.add(
    "hang",
    `${SETTLE_MS} ms after the clients ended, the cloud still has ${what} (${gone})`,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function hex(bytes: number): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}
