// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The seed's session port: one WebSocket per command at `/v1/sandboxes/{id}/exec.cbor`,
// subprotocol `msb.cbor`, every frame on id 1 with `v` 5. Every session has its socket to itself.

import { SEED_PROTOCOL_VERSION } from "../protocol/mod.ts";
import { withConnectDeadline } from "./_connect_deadline.ts";
import { sessionBounds } from "./_session_queue.ts";
import type { SocketContext } from "./_socket_context.ts";
import { SocketSessions } from "./_socket_sessions.ts";
import type { SessionPort } from "./session_port.ts";

/** The session id the seed uses for every frame. */
const SEED_SESSION_ID = 1;

const LABEL = "cloud exec websocket";

/**
 * Opens seed sessions, each on its own socket.
 *
 * @param sockets Opens the client's sockets.
 * @param connectTimeout Milliseconds a socket may take.
 * @returns The port.
 */
export function seedSessionPort(sockets: SocketContext, connectTimeout: number): SessionPort {
  return {
    async open(target, { signal }) {
      const what = `${LABEL} of sandbox "${target.name}"`;
      const socket = await withConnectDeadline(
        what,
        connectTimeout,
        signal,
        (both) => sockets.open(target.id, "exec.cbor", ["msb.cbor"], both),
      );
      const speech = { version: SEED_PROTOCOL_VERSION, generation: SEED_PROTOCOL_VERSION };
      const sessions = new SocketSessions(socket, speech, LABEL);
      const session = sessions.open(SEED_SESSION_ID, sessionBounds(true, socket.backpressure));
      sessions.onIdle = () => sessions.close();
      socket.read(sessions);
      return session;
    },
  };
}
