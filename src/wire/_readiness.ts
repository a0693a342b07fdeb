// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// What a create or start that waited for `running` makes of the status it ended with, worded as the
// SDK words it, the same on every wire.

import { RuntimeError } from "../errors.ts";
import type { SandboxInfo, SandboxStatus } from "../models/sandbox_info.ts";

/** Seconds of slack the client gives the server beyond its own wait. */
const WAIT_SLACK_SECS = 5;

/** How the SDK names a status in its messages. */
const SDK_STATUS_NAMES: Record<SandboxStatus, string> = {
  created: "Created",
  starting: "Starting",
  running: "Running",
  stopping: "Draining",
  stopped: "Stopped",
  failed: "Crashed",
};

/** The timeout of a request the server may hold for `waitTimeoutSecs` before answering. */
export function waitingRequestTimeout(waitTimeoutSecs: number): number {
  return (Math.ceil(waitTimeoutSecs) + WAIT_SLACK_SECS) * 1000;
}

/** Throws when a start that waited did not end in `running`. */
export function checkReady(info: SandboxInfo, waited: boolean): void {
  if (!waited || info.status === "running") return;
  const which = `cloud sandbox "${info.name}"`;
  switch (info.status) {
    case "failed":
      throw new RuntimeError(
        `${which} failed to start: ${
          info.lastError ?? "the cloud control plane reported no failure reason"
        }`,
      );
    case "starting":
      throw new RuntimeError(`${which} did not reach running before the readiness wait expired`);
    default:
      throw new RuntimeError(
        `${which} entered ${SDK_STATUS_NAMES[info.status]} instead of running`,
      );
  }
}
