/**
 * The server end of an exec WebSocket: binary messages in are one byte stream cut into frames
 * (frames may span messages and a message may hold several); frames out go one per message,
 * unless a fault splits or batches them. Sending waits while the socket's send buffer is above
 * {@linkcode HIGH_WATER_MARK}, so a slow client slows the command instead of filling memory.
 *
 * @module
 */

import { encodeFrame, type Frame, FrameDecoder } from "../../protocol/mod.ts";
import type { ExecFaultKind } from "../local_cloud_faults.ts";

/** Sends wait while more than this many bytes are queued on the socket. */
export const HIGH_WATER_MARK = 8 * 1024 * 1024;

/**
 * Under `split`, sends wait while more than this many bytes are queued: each byte is a message of
 * its own, whose bookkeeping costs far more than the byte, so the bytes bound would let an endless
 * command queue millions of messages and starve the cloud's event loop.
 */
export const SPLIT_HIGH_WATER_MARK = 64 * 1024;

/** `coalesce`: flush once this many frames are pending. */
const COALESCE_FRAMES = 16;
/** `coalesce`: flush this long after the first pending frame at the latest. */
const COALESCE_MS = 20;
/** How often a waiting send checks whether the socket drained. */
const DRAIN_POLL_MS = 2;
/** How long a close waits for queued bytes to go out. */
export const CLOSE_DRAIN_MS = 2000;

/** What a {@linkcode FrameSocket} tells its owner. */
export interface FrameSocketHandlers {
  /** Receives each complete frame, in order. */
  onFrame(frame: Frame): void;
  /** Called once when the socket has closed, whoever closed it. */
  onClose(): void;
}

/** An exec WebSocket, framed. */
export class FrameSocket {
  /** The fault this socket plays, if any. */
  readonly fault: ExecFaultKind | undefined;
  readonly #socket: WebSocket;
  readonly #handlers: FrameSocketHandlers;
  readonly #decoder: FrameDecoder;
  readonly opened: Promise<void>;
  #muted = false;
  #closed = false;
  #held: Uint8Array[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Takes over a freshly upgraded socket.
   *
   * @param socket The server side of the WebSocket.
   * @param fault The fault to play, if any.
   * @param handlers Receive the frames and the close.
   */
  constructor(socket: WebSocket, fault: ExecFaultKind | undefined, handlers: FrameSocketHandlers) {
    this.#socket = socket;
    this.fault = fault;
    this.#handlers = handlers;
    this.#decoder = new FrameDecoder((frame) => handlers.onFrame(frame));
    socket.binaryType = "arraybuffer";
    this.opened = new Promise((resolve) => {
      socket.addEventListener("open", () => resolve(), { once: true });
      socket.addEventListener("close", () => resolve(), { once: true });
    });
    socket.addEventListener("message", (event) => this.#receive(event.data));
    socket.addEventListener("close", () => this.#ended());
    socket.addEventListener("error", () => this.#ended());
  }

  /** Whether the socket has closed (or is closing). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether {@linkcode FrameSocket.mute} was called. */
  get muted(): boolean {
    return this.#muted;
  }

  /**
   * Sends one frame (split or batched under those faults).
   *
   * @param frame The frame.
   */
  sendFrame(frame: Frame): void {
    this.sendBytes(encodeFrame(frame));
  }

  /**
   * Sends bytes as if they were one frame: one message, or split or batched under those faults.
   *
   * @param bytes The bytes.
   * @param flush Under `coalesce`, send what is pending now (after a terminal frame).
   */
  sendBytes(bytes: Uint8Array, flush = false): void {
    if (this.#closed || this.#muted) return;
    if (this.fault === "split") {
      for (const byte of bytes) this.#send(Uint8Array.of(byte));
    } else if (this.fault === "coalesce") {
      this.#held.push(bytes);
      if (flush || this.#held.length >= COALESCE_FRAMES) this.#flush();
      else this.#flushTimer ??= setTimeout(() => this.#flush(), COALESCE_MS);
    } else {
      this.#send(bytes);
    }
  }

  /** Drops everything sent from now on (the socket stays open). */
  mute(): void {
    this.#flush();
    this.#muted = true;
  }

  /**
   * Waits until the socket's send buffer is at most {@linkcode HIGH_WATER_MARK} bytes
   * ({@linkcode SPLIT_HIGH_WATER_MARK} under `split`), or the socket has closed.
   *
   * @returns A promise that resolves when more may be sent.
   */
  async drain(): Promise<void> {
    const limit = this.fault === "split" ? SPLIT_HIGH_WATER_MARK : HIGH_WATER_MARK;
    while (!this.#closed && this.#socket.bufferedAmount > limit) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
  }

  /**
   * Sends what is pending, stops taking frames, and closes the socket once everything queued
   * has gone out (or after {@linkcode CLOSE_DRAIN_MS}).
   *
   * @param code The close code.
   * @param reason The close reason (at most 123 bytes).
   * @param now Close at once, dropping what is queued (when the cloud closes).
   */
  close(code = 1000, reason = "", now = false): void {
    if (this.#closed && !now) return;
    this.#flush();
    this.#ended();
    const deadline = now ? 0 : performance.now() + CLOSE_DRAIN_MS;
    const attempt = (): void => {
      const open = this.#socket.readyState === WebSocket.OPEN;
      if (open && this.#socket.bufferedAmount > 0 && performance.now() < deadline) {
        setTimeout(attempt, DRAIN_POLL_MS);
        return;
      }
      try {
        this.#socket.close(code, reason);
      } catch {
        // Not open yet, or already closing.
      }
    };
    attempt();
  }

  #send(bytes: Uint8Array): void {
    try {
      this.#socket.send(bytes);
    } catch {
      this.#ended();
    }
  }

  #flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#held.length === 0) return;
    const held = this.#held;
    this.#held = [];
    const all = new Uint8Array(held.reduce((sum, chunk) => sum + chunk.length, 0));
    let at = 0;
    for (const chunk of held) {
      all.set(chunk, at);
      at += chunk.length;
    }
    if (!this.#closed && !this.#muted) this.#send(all);
  }

  #receive(data: unknown): void {
    if (this.#closed || !(data instanceof ArrayBuffer)) return; // text messages are ignored
    try {
      this.#decoder.feed(new Uint8Array(data));
    } catch (error) {
      // A bad length prefix: the byte stream cannot be resynchronised.
      const message = error instanceof Error ? error.message : String(error);
      this.close(1002, message.slice(0, 120));
    }
  }

  #ended(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#flushTimer);
    this.#held = [];
    this.#handlers.onClose();
  }
}
