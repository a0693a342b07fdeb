// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { RuntimeError } from "../errors.ts";

/**
 * Runs `connect` (the socket and any handshake on it) under the client's `connectTimeout`: the
 * one owner of that deadline and of its message. The caller's own abort wins, with its reason.
 *
 * @param what The connection, in the message, such as `cloud sandbox agent websocket of "web"`.
 * @param timeout Milliseconds connecting may take.
 * @param signal The caller's signal.
 * @param connect Opens the connection, aborted through the signal it gets.
 * @returns What `connect` returned.
 */
export async function withConnectDeadline<T>(
  what: string,
  timeout: number,
  signal: AbortSignal | undefined,
  connect: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = AbortSignal.timeout(timeout);
  const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
  try {
    return await connect(both);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (!deadline.aborted) throw error;
    throw new RuntimeError(
      `${what}: timed out connecting after ${timeout} ms; check that the sandbox is running and ` +
        "reachable, or raise connectTimeout",
      { cause: error },
    );
  }
}
