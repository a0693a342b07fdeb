// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The sessions one socket carries: its bytes are cut into frames and decoded right where the
// socket delivers them, and each frame goes to its session's queue. The socket waits only for a
// session whose bounds allow it (one alone on a socket with read backpressure).

import { ConnectionError, MicrosandboxError, UnsupportedError } from "../errors.ts";
import {
  decodeMessage,
  encodeFrame,
  encodeMessage,
  FLAG_TERMINAL,
  type Frame,
  FrameDecoder,
  generationOf,
  type MessageType,
  type PayloadMap,
} from "../protocol/mod.ts";
import type { ByteSink, ByteSocket } from "../transport/web_socket.ts";
import { type SessionBounds, SessionQueue } from "./_session_queue.ts";
import type { WireSession } from "./session_port.ts";

/** The protocol a socket speaks: the `v` it sends and the generation its peer knows. */
export interface Speech {
  version: number;
  generation: number;
}

/** Routes one socket's frames to its sessions; its `bytes` and `end` are the socket's sink. */
export class SocketSessions implements ByteSink {
  readonly #socket: ByteSocket;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #speech: Speech;
  readonly #label: string;
  readonly #sessions = new Map<number, SessionQueue>();
  readonly #decoder = new FrameDecoder((frame) => this.#route(frame));
  #waits: Promise<void>[] = [];
  #closed = false;
  #ended = false;
  /** Called when the last session ends, and when the socket ends. */
  onIdle: (() => void) | undefined;

  /**
   * @param socket The socket, whose reads the caller hands to this object.
   * @param speech The protocol version and generation.
   * @param label The socket, for messages.
   */
  constructor(socket: ByteSocket, speech: Speech, label: string) {
    this.#socket = socket;
    this.#writer = socket.writable.getWriter();
    this.#writer.closed.catch(() => {});
    this.#speech = speech;
    this.#label = label;
  }

  /** Whether the socket ended or was closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many sessions are open. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Whether `id` is in use. */
  has(id: number): boolean {
    return this.#sessions.has(id);
  }

  /**
   * Opens the session `id`.
   *
   * @param id A free id.
   * @param bounds What it may keep unread.
   * @returns The session.
   */
  open(id: number, bounds: SessionBounds): WireSession {
    if (this.#closed) throw new ConnectionError(`${this.#label}: the socket is closed`);
    const queue = new SessionQueue(
      bounds,
      () => `${this.#label}, session ${id}`,
      () => this.#release(id, queue),
    );
    this.#sessions.set(id, queue);
    return {
      messages: queue.messages,
      send: (type, payload) => this.#send(id, type, payload),
      close: () => {
        queue.end();
        this.#release(id, queue);
      },
    };
  }

  /** Takes received bytes; returns what the socket should wait for, if anything. */
  bytes(chunk: Uint8Array): Promise<void> | undefined {
    try {
      this.#decoder.feed(chunk);
    } catch (error) {
      this.end(error as Error);
      this.#socket.close();
      return undefined;
    }
    if (this.#waits.length === 0) return undefined;
    const waits = this.#waits;
    this.#waits = [];
    return waits.length === 1 ? waits[0] : Promise.all(waits).then(() => {});
  }

  /** The socket ended: sessions without their terminal message end too, or fail with `error`. */
  end(error?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    if (!error) {
      try {
        this.#decoder.end();
      } catch (truncated) {
        error = truncated as Error;
      }
    }
    this.#closed = true;
    for (const queue of this.#sessions.values()) queue.end(error);
    this.#sessions.clear();
    this.onIdle?.();
  }

  /** Closes the socket and ends every session. */
  close(): void {
    if (this.#closed) return;
    this.#socket.close();
    this.end();
  }

  #route(frame: Frame): void {
    const queue = this.#sessions.get(frame.id);
    if (!queue) return;
    let outcome: Promise<void> | false | undefined;
    try {
      outcome = queue.push(decodeMessage(frame));
    } catch (error) {
      queue.end(error as Error);
      outcome = false;
    }
    if (outcome === false || frame.flags & FLAG_TERMINAL) {
      queue.end();
      this.#release(frame.id, queue);
    } else if (outcome) {
      this.#waits.push(outcome);
    }
  }

  #release(id: number, queue: SessionQueue): void {
    if (this.#sessions.get(id) !== queue) return;
    this.#sessions.delete(id);
    if (this.#sessions.size === 0) this.onIdle?.();
  }

  #send<T extends MessageType>(id: number, type: T, payload: PayloadMap[T]): Promise<void> {
    const needs = generationOf(type);
    if (needs > this.#speech.generation) {
      return Promise.reject(
        new UnsupportedError({
          feature: type,
          availableWhen: `when the sandbox agent speaks protocol generation ${needs} ` +
            `(it speaks ${this.#speech.generation})`,
        }),
      );
    }
    if (this.#closed) {
      return Promise.reject(new ConnectionError(`${this.#label}: the socket is closed`));
    }
    const frame = encodeFrame(encodeMessage(id, type, payload, this.#speech.version));
    return this.#writer.write(frame).catch((error: unknown) => {
      // A socket that died under the write rejects with the runtime's own error.
      if (error instanceof MicrosandboxError) throw error;
      throw new ConnectionError(`${this.#label}: the socket failed while sending ${type}`, {
        cause: error,
      });
    });
  }
}
