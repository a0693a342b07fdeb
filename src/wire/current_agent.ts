// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// Today's exec route: the agent relay socket at `/v1/sandboxes/{id}/agent`, shared by every
// session a client runs in that sandbox, opened on the first and closed after the last.

import { RuntimeError } from "../errors.ts";
import type { ExecChannel, ExecRoute } from "../exec/exec_channel.ts";
import { AgentConnection } from "./_agent_connection.ts";
import type { SocketContext } from "./_socket_context.ts";

/** Opens exec sessions over one shared agent socket per sandbox. */
export function agentExecRoute(sockets: SocketContext, connectTimeout: number): ExecRoute {
  const pool = new Map<string, Promise<AgentConnection>>();

  async function connect(id: string, name: string, signal?: AbortSignal): Promise<AgentConnection> {
    const deadline = AbortSignal.timeout(connectTimeout);
    const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
    try {
      const socket = await sockets.open(id, "agent", [], both);
      const connection = await AgentConnection.open(socket, both);
      connection.onIdle = () => {
        if (connection.sessions > 0) return;
        pool.delete(id);
        connection.close();
      };
      return connection;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!deadline.aborted) throw error;
      throw new RuntimeError(
        `timed out connecting to cloud sandbox agent "${name}" after ${connectTimeout} ms`,
        { cause: error },
      );
    }
  }

  function connection(id: string, name: string, signal?: AbortSignal): Promise<AgentConnection> {
    let pending = pool.get(id);
    if (!pending) {
      pending = connect(id, name, signal);
      pool.set(id, pending);
      pending.catch(() => pool.delete(id));
    }
    return pending;
  }

  return {
    async open(target, request, signal): Promise<ExecChannel> {
      let agent = await connection(target.id, target.name, signal);
      if (agent.closed) {
        // It closed after its last session, between our lookup and now: open another.
        pool.delete(target.id);
        agent = await connection(target.id, target.name, signal);
      }
      // The connection ends each session's messages after its terminal one.
      const session = agent.openSession();
      try {
        await session.send("core.exec.request", request);
      } catch (error) {
        session.close();
        throw error;
      }
      return session;
    },
  };
}
