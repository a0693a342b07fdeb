// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The seed's exec route: one WebSocket per command at `/v1/sandboxes/{id}/exec.cbor`, subprotocol
// `msb.cbor`, every frame on id 1 with `v` 5.

import type { ExecChannel, ExecRoute } from "../exec/exec_channel.ts";
import { SessionMessageStream } from "../exec/_session_message_stream.ts";
import { encodeFrame, encodeMessage, SEED_PROTOCOL_VERSION } from "../protocol/mod.ts";
import type { SocketContext } from "./_socket_context.ts";

/** The session id the seed uses for every frame. */
const SEED_SESSION_ID = 1;

/** Opens seed exec sessions, each on its own socket. */
export function seedExecRoute(sockets: SocketContext): ExecRoute {
  return {
    async open(target, request, signal): Promise<ExecChannel> {
      const socket = await sockets.open(target.id, "exec.cbor", ["msb.cbor"], signal);
      const writer = socket.writable.getWriter();
      const channel: ExecChannel = {
        messages: socket.readable.pipeThrough(new SessionMessageStream()),
        send: (type, payload) =>
          writer.write(
            encodeFrame(encodeMessage(SEED_SESSION_ID, type, payload, SEED_PROTOCOL_VERSION)),
          ),
        close: () => socket.close(),
      };
      try {
        await channel.send("core.exec.request", request);
      } catch (error) {
        socket.close();
        throw error;
      }
      return channel;
    },
  };
}
