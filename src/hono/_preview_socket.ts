// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// One WebSocket of a preview, once the sandbox's server has accepted it: the client's socket,
// upgraded by the route, bridged to the route's own WebSocket into the sandbox (over a tunnel of
// its own). Messages go each way as they are, text as text and binary as binary, each side only
// as fast as the other takes them; the first close, from either side, closes both.

import type { WebSocketConnection, WebSocketOpenInfo } from "../ws/web_socket_connection.ts";
import { CloseCode, failureCode } from "../ws/_ws_error.ts";
import type { WebSocketEventsLike, WebSocketPeerLike } from "./context.ts";
import { drained } from "./_send_backlog.ts";
import { bytesOf, sizeOf } from "./_socket_data.ts";

/**
 * RFC 6455 §7.4 codes the route sends to the client when the sandbox's side fails: 1011, as
 * 1014 ("bad gateway") is newer than some clients, which fail the connection on it.
 */
const TOO_BIG = 1009;
const UPSTREAM_FAILED = 1011;

/** What the bridge joins: the sandbox's open WebSocket, and how to drop its tunnel at once. */
export interface PreviewSocketInit {
  connection: WebSocketConnection;
  open: WebSocketOpenInfo;
  /** The most bytes of client messages that may wait for the sandbox's server to take them. */
  maxPendingBytes: number;
  /** Closes the tunnel without a closing handshake. */
  abort(): void;
}

/**
 * Bridges the client's socket to the sandbox's WebSocket. While the client's socket has more
 * than `MAX_SEND_BACKLOG` queued, the bridge stops reading the sandbox, whose server then waits
 * on its own tunnel. A server socket cannot stop its client from sending, so a client that sends
 * faster than the sandbox's server reads fails with 1009 beyond `maxPendingBytes`.
 */
export class PreviewSocketBridge {
  readonly #init: PreviewSocketInit;
  readonly #writer: WritableStreamDefaultWriter<string | Uint8Array>;
  #queue: Promise<void> = Promise.resolve();
  #pending = 0;
  #ended = false;

  constructor(init: PreviewSocketInit) {
    this.#init = init;
    this.#writer = init.open.writable.getWriter();
  }

  /** The socket's handlers, for Hono's `upgradeWebSocket`. */
  events(): WebSocketEventsLike {
    return {
      onOpen: (_event, ws) => void this.#pump(ws),
      onMessage: (event, ws) => this.#receive(ws, event.data),
      onClose: (event) => this.#clientClosed(event as Partial<CloseEvent>),
      onError: () => this.#clientClosed({}),
    };
  }

  /** Sandbox to client, paced by the client's send backlog; then the sandbox's close. */
  async #pump(ws: WebSocketPeerLike): Promise<void> {
    const reader = this.#init.open.readable.getReader();
    try {
      for (;;) {
        await drained(ws, () => this.#ended);
        const { done, value } = await reader.read();
        if (done || this.#ended) break;
        ws.send(typeof value === "string" ? value : new Uint8Array(value));
      }
      const { closeCode, reason } = await this.#init.connection.closed;
      this.#closeClient(ws, closeCode === 1005 ? undefined : closeCode, reason);
    } catch (error) {
      const code = failureCode(error) === CloseCode.TooBig ? TOO_BIG : UPSTREAM_FAILED;
      this.#fail(ws, code, "The sandbox's server connection failed.");
    }
  }

  /** Client to sandbox, one message after another, within `maxPendingBytes`. */
  #receive(ws: WebSocketPeerLike, data: unknown): void {
    const size = sizeOf(data);
    this.#pending += size;
    if (this.#pending > this.#init.maxPendingBytes) {
      const limit = this.#init.maxPendingBytes;
      return this.#fail(ws, TOO_BIG, `More than ${limit} bytes wait for the sandbox's server.`);
    }
    this.#queue = this.#queue.then(async () => {
      if (this.#ended) return;
      await this.#writer.write(typeof data === "string" ? data : await bytesOf(data));
    }).finally(() => this.#pending -= size).catch(() => {
      this.#fail(ws, UPSTREAM_FAILED, "The sandbox's server connection failed.");
    });
  }

  /**
   * The client closed (or vanished): its close goes to the sandbox's server when an application
   * may send that code (1000, 3000 to 4999), else a plain 1000.
   */
  #clientClosed(event: Partial<CloseEvent>): void {
    if (this.#ended) return;
    this.#ended = true;
    const { code = 1000, reason = "" } = event;
    const own = code === 1000 || (code >= 3000 && code <= 4999);
    try {
      this.#init.connection.close(own ? { closeCode: code, reason } : { closeCode: 1000 });
    } catch {
      this.#init.abort();
    }
  }

  #closeClient(ws: WebSocketPeerLike, code: number | undefined, reason: string): void {
    this.#ended = true;
    if (ws.readyState === 0 || ws.readyState === 1) ws.close(code, reason);
  }

  /** Ends both sides at once: the client with `code`, the sandbox's tunnel without a handshake. */
  #fail(ws: WebSocketPeerLike, code: number, reason: string): void {
    if (this.#ended) return;
    this.#closeClient(ws, code, reason);
    this.#init.abort();
  }
}
