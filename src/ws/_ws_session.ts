// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ConnectionError, ProtocolError } from "../errors.ts";
import { closePayload, NO_STATUS } from "./_close_payload.ts";
import { encodeFrame } from "./_frame_encoder.ts";
import { type HandshakeRequest, openingHandshake } from "./_handshake.ts";
import type { WsEvent } from "./_message_assembler.ts";
import { Opcode } from "./_opcode.ts";
import { CloseCode, failureCode } from "./_ws_error.ts";
import { DEFAULT_WS_LIMITS, WsDecoderStream, type WsLimits } from "./_ws_decoder_stream.ts";
import type {
  WebSocketCloseInfo,
  WebSocketConnection,
  WebSocketOpenInfo,
} from "./web_socket_connection.ts";

/** A byte connection to a server: a `SandboxSocket`, or any socket of that shape. */
export interface ByteSocket {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  close(): Promise<void>;
}

/** How long the session waits for the server's close frame after sending its own. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

/**
 * A client WebSocket over `socket`: the opening handshake of `request`, then messages; after
 * `close()`, the server has `closeTimeoutMs` to answer with its close frame.
 */
export function webSocketOver(
  socket: ByteSocket,
  request: HandshakeRequest,
  limits: WsLimits = DEFAULT_WS_LIMITS,
  closeTimeoutMs: number = DEFAULT_CLOSE_TIMEOUT_MS,
): WebSocketConnection {
  return new WsSession(socket, request, limits, closeTimeoutMs);
}

/**
 * One connection. All reading goes through `#next`, which answers pings and
 * runs the server's side of the closing handshake, so the user's reads and the drain after
 * `close()` never disagree. Every frame is one write of the socket's one writer, which keeps
 * frames whole and in order, and waits for the socket (backpressure) before taking the next.
 * The readable reads one message ahead, so a close frame or a ping that comes while nobody
 * reads is seen; behind an unread message, the server waits (backpressure). From the moment
 * `close()` hands its close frame to the socket, a deadline bounds the wait for the server's:
 * past it, the session closes the socket and rejects `closed`.
 */
class WsSession implements WebSocketConnection {
  readonly opened: Promise<WebSocketOpenInfo>;
  readonly closed: Promise<WebSocketCloseInfo>;
  readonly #socket: ByteSocket;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #settle = Promise.withResolvers<WebSocketCloseInfo>();
  readonly #closeTimeoutMs: number;
  #events: ReadableStreamDefaultReader<WsEvent> | undefined;
  #closeSent = false;
  #done = false;
  #pongQueued = false;
  #latestPing: Uint8Array | undefined;
  #closeDeadline: ReturnType<typeof setTimeout> | undefined;

  constructor(
    socket: ByteSocket,
    request: HandshakeRequest,
    limits: WsLimits,
    closeTimeoutMs: number,
  ) {
    this.#socket = socket;
    this.#closeTimeoutMs = closeTimeoutMs;
    this.#writer = socket.writable.getWriter();
    this.closed = this.#settle.promise;
    this.closed.catch(() => {});
    this.opened = this.#open(socket.readable.getReader(), request, limits);
    this.opened.catch((error) => this.#fail(error));
  }

  close(info: Partial<WebSocketCloseInfo> = {}): void {
    const payload = closePayload(info.closeCode ?? CloseCode.Normal, info.reason ?? "");
    this.opened.then(() => this.#startClosing(payload), () => {});
  }

  async #open(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    request: HandshakeRequest,
    limits: WsLimits,
  ): Promise<WebSocketOpenInfo> {
    const { protocol, frames } = await openingHandshake(this.#writer, reader, request);
    this.#events = frames.pipeThrough(new WsDecoderStream(limits)).getReader();
    return { protocol, readable: this.#readable(), writable: this.#writable() };
  }

  #readable(): ReadableStream<string | Uint8Array> {
    return new ReadableStream<string | Uint8Array>({
      pull: async (controller) => {
        const message = await this.#next();
        if (message === undefined) controller.close();
        else controller.enqueue(message);
      },
      cancel: () => this.close(),
    }, { highWaterMark: 1 });
  }

  #writable(): WritableStream<string | Uint8Array> {
    return new WritableStream<string | Uint8Array>({
      write: (message) => {
        if (this.#closeSent) throw new ConnectionError("Cannot send on a closing WebSocket");
        if (typeof message === "string") {
          return this.#send(Opcode.Text, new TextEncoder().encode(message));
        }
        return this.#send(Opcode.Binary, message);
      },
      close: () => this.close(),
      abort: () => this.close(),
    });
  }

  /** The next message; undefined once the closing handshake is done. Throws what broke it. */
  async #next(): Promise<string | Uint8Array | undefined> {
    for (;;) {
      if (this.#done) return undefined;
      let read: ReadableStreamReadResult<WsEvent>;
      try {
        read = await this.#events!.read();
      } catch (error) {
        await this.#fail(error);
        throw error;
      }
      if (read.done) {
        if (this.#done) return undefined;
        const error = new ConnectionError("The WebSocket connection ended without a close frame");
        await this.#fail(error);
        throw error;
      }
      const event = read.value;
      if (event.type === "text" || event.type === "binary") return event.data;
      if (event.type === "ping") this.#answerPing(event.data);
      if (event.type === "close") await this.#closedByServer(event.code, event.reason);
    }
  }

  /**
   * Sends the close frame, then reads (dropping messages) until the server's close frame, which
   * must come within the close timeout.
   */
  async #startClosing(payload: Uint8Array): Promise<void> {
    if (this.#closeSent || this.#done) return;
    this.#closeSent = true;
    const ms = this.#closeTimeoutMs;
    this.#closeDeadline = setTimeout(() => {
      this.#fail(
        new ConnectionError(`The server did not answer the WebSocket close within ${ms} ms`),
      );
    }, ms);
    try {
      await this.#send(Opcode.Close, payload);
      while (await this.#next() !== undefined);
    } catch (error) {
      await this.#fail(error);
    }
  }

  async #closedByServer(code: number, reason: string): Promise<void> {
    this.#done = true;
    if (!this.#closeSent) {
      this.#closeSent = true;
      const echo = code === NO_STATUS ? new Uint8Array() : new Uint8Array([code >> 8, code & 0xff]);
      await this.#send(Opcode.Close, echo).catch(() => {});
    }
    await this.#end();
    this.#settle.resolve({ closeCode: code, reason });
  }

  /**
   * Answers a ping. While a pong waits for the socket (one at most is queued), only the latest
   * ping is kept, and answered once that pong is written (RFC 6455 §5.5.3).
   */
  #answerPing(data: Uint8Array): void {
    if (this.#closeSent) return;
    if (this.#pongQueued) {
      this.#latestPing = data.slice();
      return;
    }
    this.#pongQueued = true;
    this.#send(Opcode.Pong, data.slice()).catch(() => {}).then(() => {
      const latest = this.#latestPing;
      this.#pongQueued = false;
      this.#latestPing = undefined;
      if (latest !== undefined) this.#answerPing(latest);
    });
  }

  /** Ends the connection with `error`, failing it with a close frame when the server broke RFC 6455. */
  async #fail(error: unknown): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (error instanceof ProtocolError && !this.#closeSent && this.#events !== undefined) {
      this.#closeSent = true;
      await this.#send(Opcode.Close, closeCode(failureCode(error))).catch(() => {});
    }
    await this.#end();
    this.#settle.reject(error);
  }

  async #end(): Promise<void> {
    clearTimeout(this.#closeDeadline);
    await this.#events?.cancel().catch(() => {});
    await this.#socket.close().catch(() => {});
  }

  #send(opcode: number, payload: Uint8Array): Promise<void> {
    return this.#writer.write(encodeFrame(opcode, payload));
  }
}

function closeCode(code: number): Uint8Array {
  return new Uint8Array([code >> 8, code & 0xff]);
}
