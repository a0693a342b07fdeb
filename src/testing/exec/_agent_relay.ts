/**
 * Today's `agent` WebSocket, as msb-cloud's relay and the guest's agentd answer it: the relay
 * handshake (the client's id range, then a `core.ready` frame on id 0), then many concurrent
 * exec, guest filesystem and TCP (port tunnel) sessions multiplexed by frame id.
 *
 * @module
 */

import {
  encodeFrame,
  encodeMessage,
  type Frame,
  PROTOCOL_VERSION,
  type Ready,
} from "../../protocol/mod.ts";
import type { ExecHost } from "./_exec_host.ts";
import type { LogHistory } from "../logs/_exec_log_history.ts";
import { ExecSession, readFrame, sendError } from "./_exec_session.ts";
import { FrameSocket } from "./_exec_socket.ts";
import type { ExecFaultKind } from "../local_cloud_faults.ts";
import { FsAgent } from "../fs/_fs_agent.ts";
import type { FsHost } from "../fs/_fs_host.ts";
import type { TcpFault } from "../app/_faults.ts";
import { TcpSession } from "../tcp/_tcp_session.ts";

/** Where an agent socket runs. */
export interface AgentPlace {
  /** The cloud's processes. */
  readonly exec: ExecHost;
  /** The cloud's log history. */
  readonly logs: LogHistory;
  /** The cloud's guest filesystem. */
  readonly fs: FsHost;
  /** The sandbox id. */
  readonly sandboxId: string;
  /** The ids granted to the client: `[min, max)`. */
  readonly idRange: readonly [number, number];
  /** The `core.ready` payload. */
  readonly ready: Ready;
  /** Takes the fault of the next port tunnel. */
  readonly takeTcpFault: () => TcpFault | undefined;
}

/** The ids a legacy handshake grants above its offset (the client's `u32::MAX / 16`). */
const LEGACY_ID_SPAN = Math.floor(0xffff_ffff / 16);

/** Message types a relay client may send that need no answer. */
const IGNORED = new Set([
  "core.init.ack",
  "core.clock.sync",
  "core.shutdown",
  "core.relay.client.disconnected",
  "core.error",
]);

/**
 * Serves one upgraded `agent` socket until it closes; closing it kills its sessions' processes.
 *
 * @param socket The server side of the WebSocket, just upgraded.
 * @param place The sandbox, its processes and the handshake values.
 * @param fault The exec fault this socket plays, if any.
 */
export function serveAgent(socket: WebSocket, place: AgentPlace, fault?: ExecFaultKind): void {
  const sessions = new Map<number, ExecSession>();
  const tunnels = new Map<number, TcpSession>();
  const version = PROTOCOL_VERSION;
  const legacy = fault === "legacyHandshake";
  const [min, max] = place.idRange;
  const first = legacy ? min + 1 : min;
  const end = legacy ? min + LEGACY_ID_SPAN + 1 : max;
  let touches = 0;
  let detach = (): void => {};
  const frames: FrameSocket = new FrameSocket(socket, fault, {
    onFrame: (frame) => dispatch(frame),
    onClose: () => {
      detach();
      files.close();
      for (const session of sessions.values()) session.kill();
      for (const tunnel of tunnels.values()) tunnel.kill();
    },
  });
  const files = new FsAgent({ fs: place.fs, sandboxId: place.sandboxId, socket: frames, version });
  detach = place.exec.attach(place.sandboxId, (now) => frames.close(1001, "sandbox stopped", now));

  frames.opened.then(() => {
    const prefix = new Uint8Array(legacy ? 4 : 8);
    const view = new DataView(prefix.buffer);
    view.setUint32(0, min);
    if (!legacy) view.setUint32(4, max);
    frames.sendBytes(prefix);
    frames.sendFrame(encodeMessage(0, "core.ready", place.ready, version));
  });

  function inUse(id: number, type: string): void {
    sendError(frames, id, version, {
      kind: "invalid_session",
      message: `session id ${id} is already in use`,
      offendingType: type,
    });
  }

  function dispatch(frame: Frame): void {
    const { id } = frame;
    if (id < first || id >= end) {
      sendError(frames, id, version, {
        kind: "invalid_session",
        message: `session id ${id} is outside the granted range ${first}..${end - 1}`,
      });
      return;
    }
    const message = readFrame(frame, frames, version);
    if (!message) return;
    switch (message.type) {
      case "core.tcp.connect": {
        if (sessions.has(id) || tunnels.has(id)) return inUse(id, message.type);
        const tunnel = new TcpSession(
          {
            nets: place.exec.nets,
            perl: place.exec.host.tools.perl,
            sandboxId: place.sandboxId,
            socket: frames,
            version,
            fault: place.takeTcpFault(),
          },
          id,
          message.payload,
        );
        tunnels.set(id, tunnel);
        tunnel.done.then(() => {
          if (tunnels.get(id) === tunnel) tunnels.delete(id);
        });
        return;
      }
      case "core.tcp.data":
      case "core.tcp.eof":
      case "core.tcp.close":
        tunnels.get(id)?.handle(message);
        return;
      case "core.exec.request": {
        if (sessions.has(id) || tunnels.has(id)) {
          sendError(frames, id, version, {
            kind: "invalid_session",
            message: `session id ${id} is already in use`,
            offendingType: message.type,
          });
          return;
        }
        const session = new ExecSession(
          { ...place, socket: frames, version },
          id,
          message.payload,
        );
        sessions.set(id, session);
        session.done.then(() => {
          if (sessions.get(id) === session) sessions.delete(id);
        });
        return;
      }
      case "core.exec.stdin":
      case "core.exec.signal":
      case "core.exec.resize":
        sessions.get(id)?.handle(message); // unknown ids are ignored, as agentd does
        return;
      case "core.fs.request":
        files.request(id, message.payload.op);
        return;
      case "core.fs.data":
        files.data(id, message.payload.data);
        return;
      case "core.ping":
        frames.sendBytes(encodeFrame(encodeMessage(id, "core.pong", {}, version)), true);
        return;
      case "core.touch":
        frames.sendBytes(
          encodeFrame(encodeMessage(id, "core.touched", { activitySeq: ++touches }, version)),
          true,
        );
        return;
      default:
        if (IGNORED.has(message.type)) return;
        sendError(frames, id, version, {
          kind: "unsupported_message_type",
          message: `the local cloud does not serve ${message.type} yet`,
          offendingType: message.type,
        });
    }
  }
}
