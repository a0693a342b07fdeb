// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// A `core.tcp.connect` session as a `SandboxSocket`, on an agent socket of its own: the
// connect, its `connected` or `failed`, then `core.tcp.data` both ways. What the server sends
// is handed on only as the reader asks (the session's socket waits meanwhile), `eof` ends the
// readable, the terminal `closed` ends the socket; a `closed` without `eof` means the
// connection broke. Closing the writable sends `eof`; `close()`, a cancel of the readable, an
// abort of the writable and the signal send `close` and end the session.

import { ConnectionError, ConnectionRefusedError, ProtocolError } from "../errors.ts";
import type { DecodedMessage, TcpConnect, UnknownMessage } from "../protocol/mod.ts";
import { FLAG_TERMINAL } from "../protocol/mod.ts";
import type { WireSession } from "../wire/session_port.ts";
import { targetText } from "./_connect_target.ts";
import type { SandboxSocket, SocketAddress } from "./sandbox_socket.ts";

/** Bytes one `core.tcp.data` message carries at most. */
export const TCP_CHUNK = 256 * 1024;

/** How long `close()` waits for the agent's `core.tcp.closed` before it drops the socket. */
const CLOSE_WAIT_MS = 2000;

/** Opens the connection's session: an agent socket of its own. */
export type OpenTcpSession = (signal: AbortSignal | undefined) => Promise<WireSession>;

/**
 * Starts connecting to `target` and returns the socket at once.
 *
 * @param open Opens the session.
 * @param target Where to connect, checked.
 * @param label The sandbox, for messages, such as `sandbox "app"`.
 * @param signal Closes the socket.
 * @returns The socket.
 */
export function openTunnel(
  open: OpenTcpSession,
  target: TcpConnect,
  label: string,
  signal?: AbortSignal,
): SandboxSocket {
  return new TunnelSocket(open, target, label, signal);
}

/** A message of a known type. */
type KnownMessage = Exclude<DecodedMessage, UnknownMessage>;

class TunnelSocket implements SandboxSocket {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  readonly opened: Promise<SocketAddress>;
  readonly closed: Promise<void>;
  readonly #target: TcpConnect;
  readonly #what: string;
  readonly #signal: AbortSignal | undefined;
  #session: WireSession | undefined;
  #reader: ReadableStreamDefaultReader<DecodedMessage> | undefined;
  #readController!: ReadableStreamDefaultController<Uint8Array>;
  #writeController!: WritableStreamDefaultController;
  #settleOpened!: (address: SocketAddress | Error) => void;
  #settleClosed!: (error?: unknown) => void;
  #terminal!: () => void;
  readonly #terminated: Promise<void>;
  #demand: (() => void) | undefined;
  #reading = true;
  #eof = false;
  #connected = false;
  #done = false;
  #closing: Promise<void> | undefined;

  constructor(open: OpenTcpSession, target: TcpConnect, label: string, signal?: AbortSignal) {
    this.#target = target;
    this.#what = `${label}: connection to ${targetText(target)}`;
    this.#signal = signal;
    this.opened = new Promise<SocketAddress>((resolve, reject) => {
      this.#settleOpened = (value) => value instanceof Error ? reject(value) : resolve(value);
    });
    this.opened.catch(() => {});
    this.closed = new Promise<void>((resolve, reject) => {
      this.#settleClosed = (error) => error === undefined ? resolve() : reject(error);
    });
    this.closed.catch(() => {});
    this.#terminated = new Promise<void>((resolve) => this.#terminal = resolve);
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#readController = controller;
      },
      pull: () => this.#release(),
      cancel: () => this.close(),
    }, { highWaterMark: 0 });
    this.writable = new WritableStream<Uint8Array>({
      start: (controller) => {
        this.#writeController = controller;
      },
      write: (chunk) => this.#write(chunk),
      close: () => this.#send("core.tcp.eof"),
      abort: () => this.close(),
    });
    if (signal?.aborted) {
      this.#finish(signal.reason);
      return;
    }
    signal?.addEventListener("abort", this.#onAbort, { once: true });
    this.#run(open).catch((error) => this.#finish(error));
  }

  close(): Promise<void> {
    this.#closing ??= this.#shut();
    return this.#closing;
  }

  readonly #onAbort = (): void => {
    if (this.#connected && !this.#done) this.#session!.send("core.tcp.close", {}).catch(() => {});
    this.#finish(this.#signal!.reason);
  };

  async #run(open: OpenTcpSession): Promise<void> {
    const session = await open(this.#signal);
    if (this.#done) return session.close();
    this.#session = session;
    const reader = this.#reader = session.messages.getReader();
    await session.send("core.tcp.connect", this.#target);
    for (;;) {
      const message = await this.#next(reader);
      if (message.type === "core.tcp.connected") break;
      if (message.type === "core.tcp.failed") {
        throw new ConnectionRefusedError(`${this.#what}: ${message.payload.error}`, {
          host: this.#target.host,
          port: this.#target.port,
        });
      }
      this.#skip(message);
    }
    this.#connected = true;
    this.#settleOpened({ remoteHost: this.#target.host, remotePort: this.#target.port });
    await this.#pump(reader);
    this.#finish();
  }

  /** Hands on what the server sends, up to the terminal `core.tcp.closed`. */
  async #pump(reader: ReadableStreamDefaultReader<DecodedMessage>): Promise<void> {
    for (;;) {
      const message = await this.#next(reader);
      switch (message.type) {
        case "core.tcp.data": {
          const { data } = message.payload;
          if (!this.#reading || data.byteLength === 0) break;
          this.#readController.enqueue(data);
          if ((this.#readController.desiredSize ?? 0) > 0) break;
          await new Promise<void>((resolve) => this.#demand = resolve);
          break;
        }
        case "core.tcp.eof":
          this.#eof = true;
          this.#endReadable();
          break;
        case "core.tcp.closed":
          if (!this.#eof && !this.#closing) {
            throw new ConnectionError(`${this.#what}: the connection broke before its end`);
          }
          return;
        default:
          this.#skip(message);
      }
    }
  }

  /**
   * The session's next known message (unknown ones are skipped); its end before a terminal one,
   * a terminal unknown one, or `core.error`, throws.
   */
  async #next(reader: ReadableStreamDefaultReader<DecodedMessage>): Promise<KnownMessage> {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        throw new ConnectionError(`${this.#what}: the agent socket ended before core.tcp.closed`);
      }
      if (value.unknown) {
        this.#skip(value);
        continue;
      }
      if (value.type === "core.error") {
        throw new ProtocolError(
          `${this.#what}: the agent refused it (${value.payload.kind}): ${value.payload.message}`,
        );
      }
      return value;
    }
  }

  /** Skips a message this session does not expect; a terminal one ends it. */
  #skip(message: { flags: number; type: string }): void {
    if (message.flags & FLAG_TERMINAL) {
      throw new ProtocolError(`${this.#what}: the session ended with ${message.type}`);
    }
  }

  async #write(chunk: Uint8Array): Promise<void> {
    await this.opened;
    for (let at = 0; at < chunk.byteLength; at += TCP_CHUNK) {
      await this.#send("core.tcp.data", chunk.subarray(at, at + TCP_CHUNK));
    }
  }

  async #send(type: "core.tcp.data" | "core.tcp.eof", data?: Uint8Array): Promise<void> {
    await this.opened;
    if (this.#done || this.#closing) {
      throw new ConnectionError(`${this.#what}: the socket is closed`);
    }
    if (type === "core.tcp.data") await this.#session!.send(type, { data: data! });
    else await this.#session!.send(type, {});
  }

  /**
   * Closes the connection remotely: sends `core.tcp.close` and waits a bounded time for the
   * agent's `core.tcp.closed` (not at all when the reader is behind, since the agent's answer
   * then queues behind data nobody reads), then closes the session's socket, which ends the
   * connection on the agent's side in any case.
   */
  async #shut(): Promise<void> {
    const behind = this.#demand !== undefined;
    this.#endReadable();
    try {
      this.#writeController.error(new ConnectionError(`${this.#what}: the socket is closed`));
    } catch {
      // Closed already.
    }
    if (this.#connected && !this.#done) {
      const sent = this.#session!.send("core.tcp.close", {}).catch(() => {});
      if (!behind) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<void>((resolve) => timer = setTimeout(resolve, CLOSE_WAIT_MS));
        await Promise.race([sent.then(() => this.#terminated), late]);
        clearTimeout(timer);
      }
    }
    this.#finish();
    await this.closed.catch(() => {});
  }

  /**
   * Ends the socket: cleanly, or with `error` (the signal's reason, a broken connection), which
   * then fails the streams and the promises.
   */
  #finish(error?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    const failure = error ?? new ConnectionError(`${this.#what}: the socket closed`);
    this.#settleOpened(failure instanceof Error ? failure : new ConnectionError(String(failure)));
    if (error !== undefined && this.#reading) {
      this.#reading = false;
      this.#release();
      this.#readController.error(error);
    }
    this.#endReadable();
    try {
      this.#writeController.error(failure);
    } catch {
      // Closed already.
    }
    this.#terminal();
    this.#reader?.releaseLock();
    this.#session?.close();
    this.#settleClosed(error);
  }

  #endReadable(): void {
    this.#release();
    if (!this.#reading) return;
    this.#reading = false;
    try {
      this.#readController.close();
    } catch {
      // Cancelled already.
    }
  }

  #release(): void {
    this.#demand?.();
    this.#demand = undefined;
  }
}
