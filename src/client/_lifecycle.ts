// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The lifecycle calls that wait: create and start until `running`, stop until `stopped`, and
// waitFor; and the clean-up of a create that failed after the cloud accepted it.

import { InvalidConfigError, MicrosandboxError, SandboxNotFoundError } from "../errors.ts";
import { SANDBOX_STATUSES, type SandboxInfo, type SandboxStatus } from "../models/sandbox_info.ts";
import type { SandboxSpec } from "../models/sandbox_spec.ts";
import type { SandboxApi, SandboxRef } from "./_sandbox_api.ts";
import { pollSandbox, type ReadSandbox, waitForStatus } from "./_status_wait.ts";
import type {
  CreateOptions,
  StartOptions,
  StopOptions,
  WaitForOptions,
} from "./request_options.ts";

const DEFAULT_WAIT_SECS = 90;
/** How long the clean-up of a failed create may take, whatever the caller's signal says. */
const CLEANUP_TIMEOUT_MS = 10_000;
/** How far the cloud's clock may be from ours when telling whether a sandbox is this call's. */
const CLOCK_SLACK_MS = 5_000;

/**
 * Creates a sandbox and, with `start`, waits for `running`. When the call fails after the cloud
 * accepted it, it removes what it created before rethrowing: by name when the answer arrived, and
 * after looking the name up when it did not (only a sandbox of this image created during the call
 * is removed).
 */
export async function createSandbox(
  api: SandboxApi,
  spec: SandboxSpec,
  options: CreateOptions = {},
): Promise<SandboxInfo> {
  const start = options.start ?? true;
  const waitSecs = start ? waitSeconds("waitTimeoutSecs", options.waitTimeoutSecs) : 0;
  const request = api.createRequest(spec, { start, waitTimeoutSecs: waitSecs }, options.signal);
  const began = Date.now();
  let info: SandboxInfo;
  try {
    info = await api.create(request);
  } catch (error) {
    if (!refused(error)) await removeIfCreatedBy(api, spec, began);
    throw error;
  }
  try {
    return await whenReady(api, info, waitSecs, began, options.signal);
  } catch (error) {
    await cleanUp(() => api.remove(info.name, { signal: AbortSignal.timeout(CLEANUP_TIMEOUT_MS) }));
    throw error;
  }
}

/** Starts a sandbox and waits for `running` unless `waitTimeoutSecs` is 0. */
export async function startSandbox(
  api: SandboxApi,
  name: SandboxRef,
  options: StartOptions = {},
): Promise<SandboxInfo> {
  const waitSecs = waitSeconds("waitTimeoutSecs", options.waitTimeoutSecs);
  const began = Date.now();
  const info = await api.start(name, waitSecs, options.signal);
  return await whenReady(api, info, waitSecs, began, options.signal);
}

/** Stops a sandbox by name and, unless told not to, waits for `stopped` (see `stopThenWait`). */
export async function stopSandbox(
  api: SandboxApi,
  name: SandboxRef,
  options: StopOptions = {},
  read: ReadSandbox = (signal) => api.get(name, { signal }),
): Promise<SandboxInfo> {
  return await stopThenWait(() => api.stop(name, { signal: options.signal }), read, options);
}

/**
 * Sends a stop (by name or by id) and, unless told not to, waits for `stopped`. An ephemeral
 * sandbox is removed as it stops, so its disappearance ends the wait too.
 */
export async function stopThenWait(
  stop: () => Promise<SandboxInfo>,
  read: ReadSandbox,
  options: StopOptions,
): Promise<SandboxInfo> {
  const waitSecs = options.wait === false
    ? 0
    : waitSeconds("waitTimeoutSecs", options.waitTimeoutSecs);
  const info = await stop();
  if (waitSecs === 0) return info;
  return await waitForStatus(info.ephemeral ? stoppedWhenGone(read, info) : read, info, "stopped", {
    timeoutMs: waitSecs * 1000,
    signal: options.signal,
    hint: "raise waitTimeoutSecs, or pass wait: false to return at once",
  });
}

/**
 * Stops a sandbox that is starting or running (and waits for `stopped`), then starts it and waits
 * for `running`; `waitTimeoutSecs` applies to each wait.
 */
export async function restartSandbox(
  api: SandboxApi,
  name: string,
  options: StartOptions = {},
  read: ReadSandbox = (signal) => api.get(name, { signal }),
): Promise<SandboxInfo> {
  const seen = await read(options.signal);
  if (seen.status === "starting" || seen.status === "running") {
    await stopSandbox(api, name, options, read);
  }
  return await startSandbox(api, name, options);
}

/** Reads the sandbox; once it is gone, says it stopped. */
function stoppedWhenGone(read: ReadSandbox, info: SandboxInfo): ReadSandbox {
  return async (signal) => {
    try {
      return await read(signal);
    } catch (error) {
      if (error instanceof SandboxNotFoundError) return { ...info, status: "stopped" };
      throw error;
    }
  };
}

/** Reads the sandbox, then waits until it is `status`. */
export async function waitForSandbox(
  read: ReadSandbox,
  status: SandboxStatus,
  options: WaitForOptions = {},
): Promise<SandboxInfo> {
  if (!SANDBOX_STATUSES.includes(status)) {
    throw new InvalidConfigError(
      `waitFor needs one of ${SANDBOX_STATUSES.join(", ")}, got ${JSON.stringify(status)}`,
    );
  }
  const timeoutMs = options.timeout ?? DEFAULT_WAIT_SECS * 1000;
  checkBudget("timeout", timeoutMs, "milliseconds");
  const { signal } = options;
  const first = await read(signal);
  return await waitForStatus(read, first, status, {
    timeoutMs,
    signal,
    hint: "raise the timeout, or check the sandbox's logs",
  });
}

/**
 * Waits for a sandbox that is `starting` to settle, with what is left of the budget (the current
 * wire's server has waited already), then words anything but `running` as the SDK does.
 */
async function whenReady(
  api: SandboxApi,
  info: SandboxInfo,
  waitSecs: number,
  began: number,
  signal: AbortSignal | undefined,
): Promise<SandboxInfo> {
  if (waitSecs === 0) return info;
  const left = waitSecs * 1000 - (Date.now() - began);
  const settled = left > 0 && info.status === "starting"
    ? (await pollSandbox(
      (signal) => api.get(info.name, { signal }),
      info,
      (seen) => seen.status !== "starting",
      left,
      signal,
    )).info
    : info;
  api.wire.checkReady(settled, true);
  return settled;
}

/** Whether the cloud answered the create with an error, so it made nothing. */
function refused(error: unknown): boolean {
  return error instanceof MicrosandboxError && error.status !== undefined && error.status >= 400;
}

/** Looks the name up and removes the sandbox when this call made it. */
async function removeIfCreatedBy(
  api: SandboxApi,
  spec: SandboxSpec,
  began: number,
): Promise<void> {
  const signal = AbortSignal.timeout(CLEANUP_TIMEOUT_MS);
  await cleanUp(async () => {
    const found = await api.get(spec.name, { signal }, "never");
    if (createdBy(found, spec, began)) await api.remove(found.name, { signal });
  });
}

function createdBy(found: SandboxInfo, spec: SandboxSpec, began: number): boolean {
  const at = found.createdAt.getTime();
  const during = at >= began - CLOCK_SLACK_MS && at <= Date.now() + CLOCK_SLACK_MS;
  return during && (found.spec.image === "" || found.spec.image === spec.image);
}

/**
 * Runs a clean-up step whose failure must not hide the error that caused it (a sandbox already
 * gone, or a cloud out of reach: the caller's error says more).
 */
async function cleanUp(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch {
    // The original error is rethrown by the caller.
  }
}

function waitSeconds(option: string, value: number | undefined): number {
  const secs = value ?? DEFAULT_WAIT_SECS;
  checkBudget(option, secs, "seconds");
  return secs;
}

function checkBudget(option: string, value: number, unit: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InvalidConfigError(
      `${option} must be a finite number of ${unit} of at least 0, got ${value}`,
    );
  }
}
