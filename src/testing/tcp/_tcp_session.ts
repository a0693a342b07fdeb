/**
 * One `core.tcp.connect` session on an agent socket, as agentd serves it: a connection made from
 * inside the sandbox's network (`_tcp_relay.ts`), answered `core.tcp.connected` or the terminal
 * `core.tcp.failed {error}`. Then `core.tcp.data` both ways; `core.tcp.eof` from the client
 * half-closes the connection, and one is sent to the client once the server has finished
 * sending; `core.tcp.close` from the client ends the connection. The terminal `core.tcp.closed`
 * ends the session whichever way it ended; a `closed` without an `eof` before it means the
 * connection broke. Data to the client is sent only as fast as the socket drains, so a slow
 * client slows its own connection's server. The TCP faults (`cutAfter`, `stall`) are played
 * here.
 *
 * @module
 */

import {
  encodeFrame,
  encodeMessage,
  type Message,
  type MessageType,
  type PayloadMap,
  type TcpConnect,
} from "../../protocol/mod.ts";
import type { FrameSocket } from "../exec/_exec_socket.ts";
import type { TcpFault } from "../app/_faults.ts";
import { connectRelay, type TcpRelay } from "./_tcp_relay.ts";
import type { SandboxNets } from "./_sandbox_nets.ts";

/**
 * Bytes from the client that may wait for the sandbox's server to read them. Deno's server
 * WebSocket cannot stop reading a socket, so nothing holds a client back that sends faster than
 * the server reads: past this bound the connection breaks (`core.tcp.closed` without `eof`)
 * rather than the cloud's memory growing.
 */
export const MAX_PENDING_BYTES = 128 * 1024 * 1024;

/** What a TCP session runs against. */
export interface TcpPlace {
  /** The sandboxes' networks. */
  readonly nets: SandboxNets;
  /** The host's `perl`, which runs the relay. */
  readonly perl: string | null;
  /** The sandbox id. */
  readonly sandboxId: string;
  /** The socket to answer on. */
  readonly socket: FrameSocket;
  /** The `v` of every frame sent. */
  readonly version: number;
  /** The fault this connection plays, if any. */
  readonly fault: TcpFault | undefined;
}

/** A follow-up message of a TCP session. */
export type TcpInput =
  | Message<"core.tcp.data">
  | Message<"core.tcp.eof">
  | Message<"core.tcp.close">;

/** One TCP session. */
export class TcpSession {
  /** The session id (the connect frame's id). */
  readonly id: number;
  /** Resolves once the session has sent its last frame (or the socket closed). Never rejects. */
  readonly done: Promise<void>;
  readonly #place: TcpPlace;
  #relay: TcpRelay | undefined;
  #writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #writes: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #early: TcpInput[] = [];
  #ended = false;
  #killed = false;
  #stalled: (() => void) | undefined;

  /**
   * Starts the session.
   *
   * @param place Where it connects and answers.
   * @param id The connect frame's id.
   * @param request Where to connect.
   */
  constructor(place: TcpPlace, id: number, request: TcpConnect) {
    this.#place = place;
    this.id = id;
    this.done = this.#run(request).catch(() => this.#send("core.tcp.closed", {}));
  }

  /**
   * Acts on a follow-up message (queued until the connection is made).
   *
   * @param message The message.
   */
  handle(message: TcpInput): void {
    if (this.#ended) return;
    if (!this.#writer) {
      this.#early.push(message);
      return;
    }
    switch (message.type) {
      case "core.tcp.data": {
        const writer = this.#writer;
        const data = message.payload.data;
        if (data.byteLength === 0) return;
        this.#pending += data.byteLength;
        if (this.#pending > MAX_PENDING_BYTES) return this.kill();
        this.#writes = this.#writes.then(() => writer.write(data)).catch(() => {}).then(() => {
          this.#pending -= data.byteLength;
        });
        return;
      }
      case "core.tcp.eof": {
        const writer = this.#writer;
        this.#writes = this.#writes.then(() => writer.close()).catch(() => {});
        return;
      }
      case "core.tcp.close":
        this.kill();
    }
  }

  /** Ends the connection at once (the client closed it, or the socket closed). */
  kill(): void {
    this.#killed = true;
    this.#relay?.kill();
    this.#stalled?.();
  }

  async #run(request: TcpConnect): Promise<void> {
    const problem = checkTarget(request);
    if (problem) return this.#send("core.tcp.failed", { error: problem });
    const { nets, perl, sandboxId } = this.#place;
    const enter = await nets.enter(sandboxId);
    if (enter === null || perl === null) {
      return this.#send("core.tcp.failed", {
        error: `cannot connect to ${target(request)} in the sandbox: ${nets.shortfall}`,
      });
    }
    const relay = await connectRelay(enter, perl, request.host, request.port);
    if ("error" in relay) {
      return this.#send("core.tcp.failed", {
        error: `cannot connect to ${target(request)} in the sandbox: ${relay.error}`,
      });
    }
    this.#relay = relay;
    const untrack = nets.track(sandboxId, { host: request.host, port: request.port }, () => {
      this.kill();
    });
    try {
      if (this.#killed) relay.kill();
      this.#send("core.tcp.connected", {});
      this.#writer = relay.input.getWriter();
      for (const message of this.#early.splice(0)) this.handle(message);
      const whole = await this.#pump(relay.output.getReader());
      if (whole && await relay.finished) this.#send("core.tcp.eof", {});
      await relay.ended;
    } finally {
      relay.kill();
      // The relay's writer half ends with its input.
      this.#writer?.abort().catch(() => {});
      untrack();
      this.#send("core.tcp.closed", {});
    }
  }

  /** Sends what the server sends; `false` when a fault cut it. */
  async #pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
    const { socket, fault } = this.#place;
    let left = fault ? fault.bytes : Infinity;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      const data = value.byteLength > left ? value.subarray(0, left) : value;
      left -= data.byteLength;
      if (data.byteLength > 0) this.#send("core.tcp.data", { data });
      await socket.drain();
      if (left > 0) continue;
      reader.cancel().catch(() => {});
      if (fault?.kind === "stall") {
        await new Promise<void>((resolve) => this.#stalled = resolve);
      }
      this.#relay?.kill();
      return false;
    }
  }

  #send<T extends MessageType>(type: T, payload: PayloadMap[T]): void {
    const { socket, version } = this.#place;
    if (socket.closed || this.#ended) return;
    const terminal = type === "core.tcp.closed" || type === "core.tcp.failed";
    if (terminal) this.#ended = true;
    socket.sendBytes(encodeFrame(encodeMessage(this.id, type, payload, version)), terminal);
  }
}

function checkTarget({ host, port }: TcpConnect): string | undefined {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return `cannot connect to port ${port}: use a port from 1 to 65535`;
  }
  if (typeof host !== "string" || host === "" || host.length > 253) {
    return `cannot connect to host ${JSON.stringify(host)}: name a host or an address`;
  }
  return undefined;
}

function target({ host, port }: TcpConnect): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
