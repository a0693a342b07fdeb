// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// Today's session port: the agent relay socket at `/v1/sandboxes/{id}/agent`. Shared sessions ride
// one socket per sandbox, opened on the first and closed after the last; a session that asks for a
// socket of its own gets one, with its own handshake, closed when the session ends.

import { AgentConnection } from "./_agent_connection.ts";
import { withConnectDeadline } from "./_connect_deadline.ts";
import type { SocketContext } from "./_socket_context.ts";
import type { SessionLink, SessionPort, SessionTarget, WireSession } from "./session_port.ts";

const LABEL = "cloud sandbox agent websocket";

/**
 * Opens agent sessions over the relay socket.
 *
 * @param sockets Opens the client's sockets.
 * @param connectTimeout Milliseconds a socket and its handshake may take.
 * @returns The port.
 */
export function agentSessionPort(sockets: SocketContext, connectTimeout: number): SessionPort {
  const pool = new Map<string, Promise<AgentConnection>>();

  function connect(target: SessionTarget, signal?: AbortSignal): Promise<AgentConnection> {
    const what = `${LABEL} of sandbox "${target.name}"`;
    return withConnectDeadline(what, connectTimeout, signal, async (both) => {
      const socket = await sockets.open(target.id, "agent", [], both);
      return await AgentConnection.open(socket, LABEL, both);
    });
  }

  function shared(target: SessionTarget, signal?: AbortSignal): Promise<AgentConnection> {
    let pending = pool.get(target.id);
    if (!pending) {
      const opening = connect(target, signal).then((connection) => {
        connection.onIdle = () => {
          if (connection.sessions > 0) return;
          if (pool.get(target.id) === opening) pool.delete(target.id);
          connection.close();
        };
        return connection;
      });
      pending = opening;
      pool.set(target.id, opening);
      opening.catch(() => {
        if (pool.get(target.id) === opening) pool.delete(target.id);
      });
    }
    return pending;
  }

  async function openShared(target: SessionTarget, signal?: AbortSignal): Promise<WireSession> {
    let agent = await shared(target, signal);
    if (agent.closed) {
      // It closed after its last session, between our lookup and now: open another.
      if (pool.get(target.id) !== undefined) pool.delete(target.id);
      agent = await shared(target, signal);
    }
    return agent.openSession(false);
  }

  async function openOwn(target: SessionTarget, signal?: AbortSignal): Promise<WireSession> {
    const agent = await connect(target, signal);
    agent.onIdle = () => agent.close();
    return agent.openSession(true);
  }

  async function link(target: SessionTarget, signal?: AbortSignal): Promise<SessionLink> {
    const agent = await connect(target, signal);
    return { open: () => agent.openSession(true), close: () => agent.close() };
  }

  return {
    open: (target, { socket, signal }) =>
      socket === "own" ? openOwn(target, signal) : openShared(target, signal),
    link,
  };
}
