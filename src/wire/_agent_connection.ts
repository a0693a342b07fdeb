// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// One agent relay socket shared by many exec sessions: the relay handshake (current and legacy
// forms), ids from the granted range, generation checks before sending, and a reader that routes
// frames to per-session queues. A session whose queue is full pauses the reader, so a slow consumer
// slows the socket instead of filling memory.

import { ConnectionError, ProtocolError, RuntimeError, UnsupportedError } from "../errors.ts";
import type { ExecChannel } from "../exec/exec_channel.ts";
import {
  type DecodedMessage,
  decodeMessage,
  encodeFrame,
  encodeMessage,
  FLAG_TERMINAL,
  type Frame,
  FrameDecoder,
  generationOf,
  MAX_FRAME_SIZE,
  type MessageType,
  type PayloadMap,
  PROTOCOL_VERSION,
} from "../protocol/mod.ts";
import type { ByteSocket } from "../transport/web_socket.ts";

/**
 * Messages a session may hold unread before the reader waits for it (64 KiB each in practice,
 * 4 MiB at most by the protocol).
 */
const SESSION_QUEUE = 16;

interface Session {
  controller: ReadableStreamDefaultController<DecodedMessage>;
  drained?: (() => void) | undefined;
}

/** What the relay granted. */
export interface Handshake {
  /** The first usable id (never 0). */
  idStart: number;
  /** One past the last usable id. */
  idEnd: number;
  /** The protocol generation both sides speak. */
  generation: number;
}

/** An open agent socket and its sessions. */
export class AgentConnection {
  readonly #socket: ByteSocket;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #sessions = new Map<number, Session>();
  readonly #handshake: Handshake;
  #nextId: number;
  #closed = false;
  /** Called when the last session ends or the socket fails. */
  onIdle: (() => void) | undefined;

  private constructor(
    socket: ByteSocket,
    reader: ReadableStreamDefaultReader<Uint8Array>,
    handshake: Handshake,
    frames: Frame[],
    decoder: FrameDecoder,
  ) {
    this.#socket = socket;
    this.#reader = reader;
    this.#writer = socket.writable.getWriter();
    this.#handshake = handshake;
    this.#nextId = handshake.idStart;
    this.#pump(decoder, frames);
  }

  /**
   * Reads the relay handshake from a fresh socket and starts routing frames.
   *
   * @param socket The agent socket.
   * @param signal Aborts the handshake.
   */
  static async open(socket: ByteSocket, signal: AbortSignal): Promise<AgentConnection> {
    const reader = socket.readable.getReader();
    const onAbort = () => reader.cancel(signal.reason).catch(() => {});
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      const { handshake, frames, decoder } = await readHandshake(reader);
      return new AgentConnection(socket, reader, handshake, frames, decoder);
    } catch (error) {
      socket.close();
      throw signal.aborted ? signal.reason : error;
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
    return this.#closed;
  }

  /** How many sessions are open. */
  get sessions(): number {
    return this.#sessions.size;
  }

  /** Opens a session on a fresh id. */
  openSession(): ExecChannel {
    if (this.#closed) {
      throw new ConnectionError("cloud sandbox agent websocket: the socket is closed");
    }
    const id = this.#allocate();
    let session!: Session;
    const messages = new ReadableStream<DecodedMessage>({
      start: (controller) => {
        session = { controller };
        this.#sessions.set(id, session);
      },
      pull: () => {
        session.drained?.();
        session.drained = undefined;
      },
      cancel: () => this.#end(id),
    }, { highWaterMark: SESSION_QUEUE });
    return {
      messages,
      send: (type, payload) => this.#send(id, type, payload),
      close: () => this.#end(id),
    };
  }

  /** Closes the socket and ends every session. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.close();
    for (const id of [...this.#sessions.keys()]) this.#finish(id, undefined);
    this.onIdle?.();
  }

  #send<T extends MessageType>(id: number, type: T, payload: PayloadMap[T]): Promise<void> {
    const needs = generationOf(type);
    if (needs > this.#handshake.generation) {
      return Promise.reject(
        new UnsupportedError({
          feature: type,
          availableWhen: `when the sandbox agent speaks protocol generation ${needs} ` +
            `(it speaks ${this.#handshake.generation})`,
        }),
      );
    }
    return this.#writer.write(encodeFrame(encodeMessage(id, type, payload, PROTOCOL_VERSION)));
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

  /** Routes what the decoder cuts; `frames` is the list its callback fills. */
  async #pump(decoder: FrameDecoder, frames: Frame[]): Promise<void> {
    let failure: Error | undefined;
    try {
      await this.#route(frames.splice(0));
      while (!this.#closed) {
        const { done, value } = await this.#reader.read();
        if (done) break;
        decoder.feed(value);
        await this.#route(frames.splice(0));
      }
      decoder.end();
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    for (const id of [...this.#sessions.keys()]) this.#finish(id, failure);
    this.close();
  }

  async #route(frames: Frame[]): Promise<void> {
    for (const frame of frames) {
      const session = this.#sessions.get(frame.id);
      if (!session) continue;
      let message: DecodedMessage;
      try {
        message = decodeMessage(frame);
      } catch (error) {
        this.#finish(frame.id, error as Error);
        continue;
      }
      session.controller.enqueue(message);
      if (frame.flags & FLAG_TERMINAL) {
        this.#finish(frame.id, undefined);
      } else if ((session.controller.desiredSize ?? 1) <= 0) {
        await new Promise<void>((resolve) => session.drained = resolve);
      }
    }
  }

  #finish(id: number, error: Error | undefined): void {
    const session = this.#sessions.get(id);
    if (!session) return;
    this.#sessions.delete(id);
    session.drained?.();
    try {
      if (error) session.controller.error(error);
      else session.controller.close();
    } catch {
      // The consumer cancelled the stream already.
    }
  }

  #end(id: number): void {
    this.#finish(id, undefined);
    if (this.#sessions.size === 0) this.onIdle?.();
  }
}

const LEGACY_ID_SPAN = Math.floor(0xffff_ffff / 16);

/** Reads `[id_min][id_max]` (or the legacy `[offset]`) and the `core.ready` frame that follows. */
async function readHandshake(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const frames: Frame[] = [];
  const decoder = new FrameDecoder((frame) => frames.push(frame));
  let head: Uint8Array = new Uint8Array(0);
  while (head.byteLength < 8) {
    const { done, value } = await reader.read();
    if (done) throw new RuntimeError("cloud sandbox agent: the socket closed during the handshake");
    head = concat(head, value);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const first = view.getUint32(0);
  const second = view.getUint32(4);
  const legacy = second >= 5 && second <= MAX_FRAME_SIZE && (first === 0 || first >= second);
  decoder.feed(head.subarray(legacy ? 4 : 8));
  while (frames.length === 0) {
    const { done, value } = await reader.read();
    if (done) throw new RuntimeError("cloud sandbox agent: the socket closed before core.ready");
    decoder.feed(value);
  }
  const ready = decodeMessage(frames.shift()!);
  if (ready.type !== "core.ready") {
    throw new ProtocolError(
      `cloud sandbox agent: the handshake sent ${ready.type} instead of core.ready`,
    );
  }
  const generation = legacy ? 1 : Math.min(PROTOCOL_VERSION, ready.version);
  return { handshake: idRange(first, second, legacy, generation), frames, decoder };
}

function idRange(first: number, second: number, legacy: boolean, generation: number): Handshake {
  if (legacy) {
    return { idStart: first + 1, idEnd: Math.min(first + LEGACY_ID_SPAN, 2 ** 32), generation };
  }
  const idStart = Math.max(first, 1);
  if (first >= second || idStart >= second) {
    throw new ProtocolError(
      `cloud sandbox agent: the handshake granted no usable id in [${first}, ${second})`,
    );
  }
  return { idStart, idEnd: second, generation };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}
