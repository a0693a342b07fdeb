// Checks that a cancel was final, from the local cloud's own accounting: no log stream left open and
// no `/logs` request after it, no process and no exec socket left.
import assert from "node:assert/strict";
import type { LocalCloud } from "../../src/testing/mod.ts";

/** How long a check waits for the cloud to see a release: a last guard, not a measure. */
const GUARD_MS = 10_000;
/** How long, after the release, the cloud is watched for a request that should not come. */
const WATCH_MS = 1_000;
const POLL_MS = 10;

const tick = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));

/** How many log stream requests (`GET /v1/sandboxes/:id/logs`) the cloud has received. */
export function logRequests(cloud: LocalCloud): number {
  return cloud.requests.filter((r) => /^\/v1\/sandboxes\/[^/]+\/logs(\?|$)/.test(r.url)).length;
}

/** Polls until `check()` holds; fails with `what` once the guard deadline passes. */
export async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + GUARD_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never happened within ${GUARD_MS} ms: ${what}`);
    await tick();
  }
}

/**
 * Waits until the cloud serves no log stream, then polls it for a second: at every poll it still
 * serves none and has received no log request beyond the `requested` it had at the cancel.
 */
export async function assertLogsReleased(cloud: LocalCloud, requested: number): Promise<void> {
  await until(() => cloud.liveLogStreams() === 0, "every log stream of the cloud ended");
  const deadline = Date.now() + WATCH_MS;
  while (Date.now() < deadline) {
    assert.equal(logRequests(cloud), requested, "a log request arrived after the cancel");
    assert.equal(cloud.liveLogStreams(), 0, "a log stream opened after the cancel");
    await tick();
  }
}

/** Waits until the cloud runs no process whose command includes `cmd` and holds no exec socket. */
export async function assertExecReleased(cloud: LocalCloud, cmd: string): Promise<void> {
  await until(() => !cloud.processes().some((p) => p.cmd.includes(cmd)), `${cmd} was killed`);
  await until(() => cloud.liveSockets() === 0, "every exec socket of the cloud closed");
}
