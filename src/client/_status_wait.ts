// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// Waiting for a sandbox to reach a status: GET it again with backoff until it settles, within a
// budget, as the SDK waits for a stop (it polls every 100 ms).

import { RuntimeError, TimeoutError } from "../errors.ts";
import type { SandboxInfo, SandboxStatus } from "../models/sandbox_info.ts";
import { sleep } from "../transport/_retry.ts";

/** The first pause between two reads, and the longest. */
const FIRST_DELAY_MS = 50;
const MAX_DELAY_MS = 1000;

/** The statuses each status can still become without anyone starting the sandbox again. */
const REACHABLE: Record<SandboxStatus, readonly SandboxStatus[]> = {
  created: [],
  starting: ["running", "stopping", "stopped", "failed"],
  running: ["stopping", "stopped", "failed"],
  stopping: ["stopped", "failed"],
  stopped: [],
  failed: [],
};

/** Reads the sandbox once. */
export type ReadSandbox = (signal?: AbortSignal) => Promise<SandboxInfo>;

/** How long to wait, what to say when the time is up, and the caller's signal. */
export interface StatusWait {
  /** The wait budget in milliseconds. */
  timeoutMs: number;
  /** Aborts the wait with its reason. */
  signal?: AbortSignal | undefined;
  /** What to do about it when the budget runs out, e.g. `raise waitTimeoutSecs`. */
  hint: string;
}

/** What a poll ended with: the last read, and whether the budget ran out first. */
export interface PollResult {
  info: SandboxInfo;
  expired: boolean;
}

/**
 * Reads the sandbox with growing pauses until `settled` holds or `timeoutMs` have passed; `first`
 * is what the caller already knows (no read is made when it has settled).
 */
export async function pollSandbox(
  read: ReadSandbox,
  first: SandboxInfo,
  settled: (info: SandboxInfo) => boolean,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<PollResult> {
  const deadline = AbortSignal.timeout(Math.max(0, timeoutMs));
  const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let info = first;
  for (let delay = FIRST_DELAY_MS; !settled(info); delay = Math.min(MAX_DELAY_MS, delay * 1.5)) {
    try {
      await sleep(delay, both);
      info = await read(both);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (deadline.aborted) return { info, expired: true };
      throw error;
    }
  }
  return { info, expired: false };
}

/** Whether a sandbox in `status` can still become `target` by itself. */
export function canBecome(status: SandboxStatus, target: SandboxStatus): boolean {
  return status === target || REACHABLE[status].includes(target);
}

/**
 * Waits until the sandbox is `target`. Rejects with `TimeoutError` when the budget runs out, and
 * with `RuntimeError` as soon as it is in a status that can never become `target` by itself.
 */
export async function waitForStatus(
  read: ReadSandbox,
  first: SandboxInfo,
  target: SandboxStatus,
  wait: StatusWait,
): Promise<SandboxInfo> {
  const { info, expired } = await pollSandbox(
    read,
    first,
    (seen) => !canBecome(seen.status, target) || seen.status === target,
    wait.timeoutMs,
    wait.signal,
  );
  if (info.status === target) return info;
  if (expired) {
    throw new TimeoutError(
      `Sandbox "${info.name}" was still ${info.status} after ${wait.timeoutMs} ms of waiting for ` +
        `${target}: ${wait.hint}`,
    );
  }
  throw new RuntimeError(unreachableMessage(info, target));
}

function unreachableMessage(info: SandboxInfo, target: SandboxStatus): string {
  const which = `Sandbox "${info.name}"`;
  const reason = info.status === "failed" && info.lastError ? ` (${info.lastError})` : "";
  const what = target === "running" || target === "starting"
    ? "start it first"
    : "wait for another status, or start it first";
  return `${which} is ${info.status}${reason} and cannot become ${target} by itself: ${what}`;
}
