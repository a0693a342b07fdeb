// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// One agent relay socket: its handshake, then sessions on ids from the granted range.

import { RuntimeError } from "../errors.ts";
import { PROTOCOL_VERSION } from "../protocol/mod.ts";
import type { ByteSocket } from "../transport/web_socket.ts";
import { type Handshake, RelayHandshake } from "./_relay_handshake.ts";
import { sessionBounds } from "./_session_queue.ts";
import { SocketSessions } from "./_socket_sessions.ts";
import type { WireSession } from "./session_port.ts";

/** An open agent socket and its sessions. */
export class AgentConnection {
  readonly #socket: ByteSocket;
  readonly #sessions: SocketSessions;
  readonly #handshake: Handshake;
  #nextId: number;

  private constructor(socket: ByteSocket, sessions: SocketSessions, handshake: Handshake) {
    this.#socket = socket;
    this.#sessions = sessions;
    this.#handshake = handshake;
    this.#nextId = handshake.idStart;
  }

  /**
   * Reads the relay handshake from a fresh socket and starts routing its frames.
   *
   * @param socket The agent socket, not read yet.
   * @param label The socket, for messages.
   * @param signal Aborts the handshake (and closes the socket).
   * @returns The connection.
   */
  static async open(
    socket: ByteSocket,
    label: string,
    signal: AbortSignal,
  ): Promise<AgentConnection> {
    const reading = new RelayHandshake();
    let sessions: SocketSessions | undefined;
    let granted!: (handshake: Handshake) => void;
    let failed!: (error: unknown) => void;
    const ready = new Promise<Handshake>((resolve, reject) => {
      granted = resolve;
      failed = reject;
    });
    socket.read({
      bytes(chunk) {
        if (sessions) return sessions.bytes(chunk);
        let result;
        try {
          result = reading.feed(chunk);
        } catch (error) {
          failed(error);
          return undefined;
        }
        if (!result) return undefined;
        const { handshake, rest } = result;
        sessions = new SocketSessions(
          socket,
          { version: PROTOCOL_VERSION, generation: handshake.generation },
          label,
        );
        granted(handshake);
        return rest.byteLength > 0 ? sessions.bytes(rest) : undefined;
      },
      end(error) {
        if (sessions) sessions.end(error);
        else failed(error ?? new RuntimeError(`${label}: the socket closed during the handshake`));
      },
    });
    const onAbort = () => failed(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      const handshake = await ready;
      return new AgentConnection(socket, sessions!, handshake);
    } catch (error) {
      socket.close();
      throw error;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** What the relay granted. */
  get handshake(): Handshake {
    return this.#handshake;
  }

  /** Whether the socket is closed. */
  get closed(): boolean {
    return this.#sessions.closed;
  }

  /** How many sessions are open. */
  get sessions(): number {
    return this.#sessions.size;
  }

  /** Called when the last session ends or the socket ends. */
  set onIdle(call: (() => void) | undefined) {
    this.#sessions.onIdle = call;
  }

  /**
   * Opens a session on a fresh id.
   *
   * @param own Whether this socket carries this session alone (it may then wait for its reader).
   * @returns The session.
   */
  openSession(own: boolean): WireSession {
    return this.#sessions.open(this.#allocate(), sessionBounds(own, this.#socket.backpressure));
  }

  /** Closes the socket and ends every session. */
  close(): void {
    this.#sessions.close();
  }

  #allocate(): number {
    const { idStart, idEnd } = this.#handshake;
    for (let tries = idEnd - idStart; tries > 0; tries--) {
      const id = this.#nextId;
      this.#nextId = id + 1 >= idEnd ? idStart : id + 1;
      if (!this.#sessions.has(id)) return id;
    }
    throw new RuntimeError("cloud sandbox agent: every session id of the granted range is in use");
  }
}
