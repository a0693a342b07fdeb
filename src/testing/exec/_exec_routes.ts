/**
 * The exec WebSocket routes of both wire generations: the seed's
 * `GET /v1/sandboxes/{id}/exec.cbor` (subprotocol `msb.cbor`, one command per socket, `v` 5)
 * and today's `GET /v1/sandboxes/{id}/agent` (relay handshake, multiplexed sessions, `v` 7).
 * Before upgrading, both answer like the REST routes: 401 without the key (the app's
 * middleware), 404 `sandbox_not_found`, 400 `invalid_request` for a request that is not a
 * WebSocket upgrade (or, on `exec.cbor`, does not offer `msb.cbor`), and 409
 * `sandbox_not_running` unless the sandbox is `running`.
 *
 * @module
 */

import { type Context, Hono } from "hono";
import { SEED_PROTOCOL_VERSION } from "../../protocol/mod.ts";
import { serveAgent } from "./_agent_relay.ts";
import type { CloudContext } from "../app/_app.ts";
import { ApiError, invalidRequest } from "../app/_error_body.ts";
import type { ExecHost } from "./_exec_host.ts";
import type { LogHistory } from "../logs/_exec_log_history.ts";
import { ExecSession, readFrame, sendError } from "./_exec_session.ts";
import { FrameSocket } from "./_exec_socket.ts";
import type { SandboxRecord } from "../rest/_sandbox_record.ts";
import type { ExecFaultKind } from "../local_cloud_faults.ts";
import { VERSION } from "../../version.ts";

/** The subprotocol of the seed's route. */
const SEED_SUBPROTOCOL = "msb.cbor";

/**
 * Builds the exec route of the cloud's generation, relative to `/v1`.
 *
 * @param context The cloud.
 * @returns The routes.
 */
export function execRoutes(context: CloudContext): Hono {
  const app = new Hono();
  if (context.generation === "v0.5") {
    app.get("/sandboxes/:id/exec.cbor", (c) => {
      const record = upgradable(c, context, true);
      const { socket, response } = Deno.upgradeWebSocket(c.req.raw, { protocol: SEED_SUBPROTOCOL });
      const fault = context.faults.takeExecFault();
      serveSeed(
        socket,
        { exec: context.exec, logs: context.store.logs, sandboxId: record.id },
        fault,
      );
      return response;
    });
  } else {
    app.get("/sandboxes/:id/agent", (c) => {
      const record = upgradable(c, context, false);
      const { socket, response } = Deno.upgradeWebSocket(c.req.raw);
      const fault = context.faults.takeExecFault();
      serveAgent(socket, {
        exec: context.exec,
        logs: context.store.logs,
        fs: context.fs,
        sandboxId: record.id,
        idRange: context.agentIdRange,
        ready: {
          bootTimeNs: context.bootDelayMs * 1_000_000,
          initTimeNs: 1_000_000,
          readyTimeNs: context.bootDelayMs * 1_000_000 + 1_000_000,
          agentVersion: `${VERSION}-local`,
        },
        takeTcpFault: () => context.faults.takeTcpFault(),
      }, fault);
      return response;
    });
  }
  return app;
}

/** Checks an upgrade request; throws the REST error to answer with. */
function upgradable(c: Context, context: CloudContext, seed: boolean): SandboxRecord {
  const record = context.store.byId(c.req.param("id") ?? "");
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw invalidRequest(`Cannot serve ${c.req.path} without a WebSocket upgrade`);
  }
  if (seed) {
    const offered = (c.req.header("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
    if (!offered.includes(SEED_SUBPROTOCOL)) {
      throw invalidRequest(
        `Cannot open ${c.req.path}: offer the WebSocket subprotocol ${SEED_SUBPROTOCOL}`,
      );
    }
  }
  if (record.status !== "running") {
    throw new ApiError(
      409,
      "sandbox_not_running",
      `Cannot connect to sandbox ${
        JSON.stringify(record.name)
      } while it is ${record.status}: start it first`,
    );
  }
  return record;
}

/** Where a seed socket runs. */
interface SeedPlace {
  readonly exec: ExecHost;
  readonly logs: LogHistory;
  readonly sandboxId: string;
}

/**
 * Serves one upgraded `exec.cbor` socket: the first `core.exec.request` runs; the socket closes
 * after its `core.exec.exited` or `core.exec.failed`; closing it early kills the process.
 */
function serveSeed(socket: WebSocket, place: SeedPlace, fault: ExecFaultKind | undefined): void {
  const version = SEED_PROTOCOL_VERSION;
  let session: ExecSession | undefined;
  let detach = (): void => {};
  const frames: FrameSocket = new FrameSocket(socket, fault, {
    onFrame: (frame) => {
      const message = readFrame(frame, frames, version);
      if (!message) return;
      switch (message.type) {
        case "core.exec.request": {
          if (session) {
            sendError(frames, frame.id, version, {
              kind: "invalid_session",
              message: "this socket already runs a command: open a new one",
              offendingType: message.type,
            });
            return;
          }
          const started = new ExecSession(
            { ...place, socket: frames, version },
            frame.id,
            message.payload,
          );
          session = started;
          started.done.then(() => {
            if (!frames.muted) frames.close(1000);
          });
          return;
        }
        case "core.exec.stdin":
        case "core.exec.signal":
        case "core.exec.resize":
          if (session?.id === frame.id) session.handle(message);
          return;
        case "core.error":
          return;
        default:
          sendError(frames, frame.id, version, {
            kind: "unsupported_message_type",
            message: `the exec.cbor route only serves exec messages, not ${message.type}`,
            offendingType: message.type,
          });
      }
    },
    onClose: () => {
      detach();
      session?.kill();
    },
  });
  detach = place.exec.attach(place.sandboxId, (now) => frames.close(1001, "sandbox stopped", now));
}
