// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { ExecRequest } from "../protocol/mod.ts";
import type { SessionPort, SessionTarget, WireSession } from "../wire/session_port.ts";

/** One exec session: the wire session its `core.exec.request` went out on. */
export type ExecChannel = WireSession;

/** How an exec session is opened. */
export interface ExecChannelOptions {
  /**
   * `shared` for a run whose output is always read (`exec` collects it), `own` for a streamed
   * process, so that its reader's pace reaches only its own process.
   */
  socket: "shared" | "own";
  /** Aborts opening the session. */
  signal?: AbortSignal | undefined;
}

/**
 * Opens a session on `port` and sends its `core.exec.request`; the process's answer
 * (`core.exec.started` or `core.exec.failed`) is read by `startProcess`.
 *
 * @param port The wire generation's session port.
 * @param target The sandbox.
 * @param request What to run.
 * @param options Which socket, and a signal.
 * @returns The session, the request sent.
 */
export async function openExecChannel(
  port: SessionPort,
  target: SessionTarget,
  request: ExecRequest,
  options: ExecChannelOptions,
): Promise<ExecChannel> {
  const session = await port.open(target, options);
  try {
    await session.send("core.exec.request", request);
  } catch (error) {
    session.close();
    throw error;
  }
  return session;
}
