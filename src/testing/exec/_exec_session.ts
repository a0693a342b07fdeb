/**
 * One exec session on an exec WebSocket, as agentd runs it: `core.exec.request` starts a real
 * process; the session answers `core.exec.started`, streams `core.exec.stdout`/`stderr`, and
 * ends with `core.exec.exited` or `core.exec.failed`, all on the request's id. Follow-up
 * `core.exec.stdin`, `core.exec.signal` and `core.exec.resize` messages act on the process.
 * Shared by the seed's `exec.cbor` route and today's `agent` route; the exec faults that act on
 * a session's frames are played here.
 *
 * @module
 */

import {
  type CoreError,
  type DecodedMessage,
  decodeMessage,
  encodeFrame,
  encodeMessage,
  type ExecRequest,
  flagsOf,
  type Frame,
  isMessageType,
  type Message,
  type MessageType,
  type PayloadMap,
} from "../../protocol/mod.ts";
import type { ExecHost } from "./_exec_host.ts";
import type { LogHistory } from "../logs/_exec_log_history.ts";
import type { RunningProcess } from "./_running_process.ts";
import type { FrameSocket } from "./_exec_socket.ts";

/** The length the `oversizedLength` fault claims: 5 MiB, over the 4 MiB limit. */
const OVERSIZED_LENGTH = 5 * 1024 * 1024;

/** What a session runs against. */
export interface SessionPlace {
  /** The cloud's processes. */
  readonly exec: ExecHost;
  /** The cloud's log history. */
  readonly logs: LogHistory;
  /** The sandbox id. */
  readonly sandboxId: string;
  /** The socket to answer on. */
  readonly socket: FrameSocket;
  /** The `v` of every frame sent. */
  readonly version: number;
}

/** A follow-up message of a session. */
export type SessionInput =
  | Message<"core.exec.stdin">
  | Message<"core.exec.signal">
  | Message<"core.exec.resize">;

/** One running (or finished) exec session. */
export class ExecSession {
  /** The session id (the request frame's id). */
  readonly id: number;
  /** Resolves once the session has sent its last frame (or the socket closed). Never rejects. */
  readonly done: Promise<void>;
  readonly #place: SessionPlace;
  readonly #spawned: Promise<RunningProcess | undefined>;
  #resolveSpawned!: (process: RunningProcess | undefined) => void;
  #truncateNext = false;
  #killed = false;
  #finished = false;

  /**
   * Starts the session.
   *
   * @param place Where it runs and answers.
   * @param id The request frame's id.
   * @param request The request.
   */
  constructor(place: SessionPlace, id: number, request: ExecRequest) {
    this.#place = place;
    this.id = id;
    this.#spawned = new Promise((resolve) => this.#resolveSpawned = resolve);
    this.done = this.#run(request).catch(() => this.#resolveSpawned(undefined));
  }

  /**
   * Applies a follow-up message: stdin bytes (empty = EOF), a signal, or a terminal resize.
   * Messages that arrive before the process has started wait for it.
   *
   * @param message The message.
   */
  handle(message: SessionInput): void {
    switch (message.type) {
      case "core.exec.stdin": {
        const { data } = message.payload;
        this.#spawned.then(async (process) => {
          if (!process) return;
          const failed = await process.writeStdin(data);
          if (failed) this.#send("core.exec.stdin.error", failed);
        });
        break;
      }
      case "core.exec.signal":
        this.#spawned.then((process) => process?.signal(message.payload.signal));
        break;
      case "core.exec.resize": {
        const { rows, cols } = message.payload;
        this.#spawned.then((process) => process?.resize(rows, cols));
        break;
      }
    }
  }

  /**
   * Kills the process (when the socket closed early) and waits for the session to end.
   *
   * @returns A promise that resolves once the session has ended.
   */
  async kill(): Promise<void> {
    this.#killed = true;
    const process = await this.#spawned;
    await process?.kill();
    await this.done;
  }

  async #run(request: ExecRequest): Promise<void> {
    const { exec, logs, sandboxId } = this.#place;
    let started!: () => void;
    const gate = new Promise<void>((resolve) => started = resolve);
    const source = request.tty ? "output" : undefined;
    const result = await exec.spawn(sandboxId, request, async (stream, data) => {
      await gate; // no output before core.exec.started
      await logs.room(data.length); // a log follower far behind holds the command back
      logs.output(sandboxId, source ?? stream, this.id, data);
      this.#send(stream === "stdout" ? "core.exec.stdout" : "core.exec.stderr", { data });
      await this.#place.socket.drain();
    });
    if ("failure" in result) {
      this.#resolveSpawned(undefined);
      this.#send("core.exec.failed", result.failure);
      return;
    }
    const { process } = result;
    this.#resolveSpawned(process);
    if (this.#killed) await process.kill();
    this.#send("core.exec.started", { pid: process.pid });
    started();
    const end = await process.ended;
    if ("failure" in end) this.#send("core.exec.failed", end.failure);
    else this.#send("core.exec.exited", { code: end.code });
  }

  #send<T extends MessageType>(type: T, payload: PayloadMap[T]): void {
    const { socket, version } = this.#place;
    if (socket.closed || this.#finished) return;
    const terminal = type === "core.exec.exited" || type === "core.exec.failed";
    if (terminal) this.#finished = true;
    if (terminal && socket.fault === "closeBeforeExit") {
      socket.close(1000, "closed before the exit frame (closeBeforeExit fault)");
      return;
    }
    const bytes = encodeFrame(encodeMessage(this.id, type, payload, version));
    if (this.#truncateNext) {
      this.#truncateNext = false;
      socket.sendBytes(bytes.subarray(0, Math.floor(bytes.length / 2)), true);
      socket.close(1000, "closed inside a frame (truncatedFrame fault)");
      return;
    }
    socket.sendBytes(bytes, terminal);
    if (type !== "core.exec.started") return;
    switch (socket.fault) {
      case "oversizedLength": {
        const header = new Uint8Array(9);
        const view = new DataView(header.buffer);
        view.setUint32(0, OVERSIZED_LENGTH);
        view.setUint32(4, this.id);
        socket.sendBytes(header, true);
        socket.mute();
        break;
      }
      case "stall":
        socket.mute();
        break;
      case "truncatedFrame":
        this.#truncateNext = true;
        break;
    }
  }
}

/**
 * Decodes a frame the client sent, answering `core.error` on its id the way agentd does (for
 * senders of generation 5 and later) when it cannot be used: `invalid_payload` when the payload
 * (or the envelope around a known type) does not decode, `malformed_message` when the envelope
 * does not, `unsupported_message_type` for an unknown type, `invalid_flags` when the flags are
 * not the type's.
 *
 * @param frame The frame.
 * @param socket Where to answer.
 * @param version The `v` of the answer.
 * @returns The message, or `undefined` when it was answered with an error.
 */
export function readFrame(
  frame: Frame,
  socket: FrameSocket,
  version: number,
): Exclude<DecodedMessage, { unknown: true }> | undefined {
  let message: DecodedMessage;
  try {
    message = decodeMessage(frame);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const type = /^Cannot decode message (\S+) on session/.exec(text)?.[1];
    const known = type !== undefined && isMessageType(type);
    sendError(socket, frame.id, version, {
      kind: known ? "invalid_payload" : "malformed_message",
      message: text,
      ...(known ? { offendingType: type } : {}),
    });
    return undefined;
  }
  if (message.unknown) {
    sendError(socket, frame.id, version, {
      kind: "unsupported_message_type",
      message: `unsupported message type ${JSON.stringify(message.type)}`,
      offendingType: message.type,
    });
    return undefined;
  }
  const expected = flagsOf(message.type);
  if (frame.flags !== expected) {
    sendError(socket, frame.id, version, {
      kind: "invalid_flags",
      message: `${message.type} must have flags 0x${hex(expected)}, got 0x${hex(frame.flags)}`,
      offendingType: message.type,
    });
    return undefined;
  }
  return message;
}

/**
 * Sends `core.error` (terminal) on a session id.
 *
 * @param socket Where to send.
 * @param id The session id.
 * @param version The `v`.
 * @param error The payload.
 */
export function sendError(
  socket: FrameSocket,
  id: number,
  version: number,
  error: CoreError,
): void {
  socket.sendBytes(encodeFrame(encodeMessage(id, "core.error", error, version)), true);
}

function hex(flags: number): string {
  return flags.toString(16).padStart(2, "0");
}
