// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// A refused exec or agent socket says little: a plain WebSocket's `error` event has no status,
// `WebSocketStream` rejects with the runtime's text, Workers' fetch upgrade gives a status but not
// the sandbox's state. So when the open fails, the REST API is asked once what the sandbox's
// status is (one GET, no retry, bounded in time), and that decides the error.

import {
  ConnectionError,
  type MicrosandboxError,
  RuntimeError,
  SandboxNotFoundError,
  SandboxNotRunningError,
} from "../errors.ts";
import type { SandboxApi } from "./_sandbox_api.ts";

/** The bound on the status lookup, so a failing open never waits long for its explanation. */
const LOOKUP_TIMEOUT = 10_000;

/**
 * Runs `open` (the exec or agent socket open for sandbox `name`, for `what`: `exec` or `fs`) and,
 * when the socket fails,
 * rejects with `SandboxNotFoundError` if the sandbox is gone, `SandboxNotRunningError` if it
 * exists but does not run, and with the open's own error otherwise (or when the lookup fails).
 */
export async function openOrExplain<T>(
  api: SandboxApi,
  name: string,
  open: () => Promise<T>,
  signal?: AbortSignal,
  what = "exec",
): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (signal?.aborted || !isSocketFailure(error)) throw error;
    throw await explain(api, name, error, signal, what);
  }
}

function isSocketFailure(error: unknown): error is MicrosandboxError {
  return error instanceof RuntimeError || error instanceof ConnectionError;
}

async function explain(
  api: SandboxApi,
  name: string,
  failure: MicrosandboxError,
  signal: AbortSignal | undefined,
  what: string,
): Promise<MicrosandboxError> {
  const deadline = AbortSignal.timeout(LOOKUP_TIMEOUT);
  const lookup = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const prefix = `${what} in sandbox "${name}"`;
  try {
    const info = await api.get(name, { signal: lookup }, "never");
    if (info.status === "running") return failure;
    return new SandboxNotRunningError(
      `${prefix}: the sandbox is ${info.status}, not running; start it with ` +
        "sandbox.start(), which waits until it runs, and try again",
      { sandboxName: name, sandboxStatus: info.status, cause: failure },
    );
  } catch (error) {
    if (!(error instanceof SandboxNotFoundError)) return failure;
    return new SandboxNotFoundError(
      `${prefix}: the sandbox does not exist (was it removed?); create it again, or check the ` +
        "name with msb.sandboxes.list()",
      { ...(error.status !== undefined && { status: error.status }), cause: failure },
    );
  }
}
