// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Sandbox } from "../client/sandbox.ts";
import type { ExecEvent } from "../exec/exec_options.ts";
import type { ExecProcess } from "../exec/exec_process.ts";
import { spawnOptionsOf } from "./_command_request.ts";
import type { CommandRequest } from "./command_request.ts";
import type { WebSocketEventsLike, WebSocketPeerLike } from "./context.ts";
import { RouteError, toRouteError } from "./errors.ts";
import { drained } from "./_send_backlog.ts";
import { bytesOf, sizeOf } from "./_socket_data.ts";

/** The channel byte that starts each binary output message. */
export const CHANNEL = { stdout: 1, stderr: 2 } as const;

/**
 * The most bytes of messages received and not yet taken by the process. A server socket cannot
 * stop the client from sending, so a client that sends stdin faster than the process reads it
 * fails the bridge (`payload_too_large`) instead of growing a queue without bound.
 */
export const MAX_PENDING_MESSAGE_BYTES = 8 * 1024 * 1024;

/** What the bridge runs: the command checked by the route, in a sandbox that exists. */
export interface BridgeInit {
  sandbox: Sandbox;
  command: CommandRequest;
  rows: number | undefined;
  cols: number | undefined;
}

/**
 * Bridges one WebSocket to one process. Binary messages are stdin; text messages are JSON
 * controls (`resize`, `signal`, `eof`). Output goes back as binary messages led by the channel
 * byte; `started`, `exited` and `error` as JSON text. The socket closes after `exited` or
 * `error`, and closing it kills the process. While the socket has more than 1 MiB queued
 * (`MAX_SEND_BACKLOG`) for a client that does not read, the bridge stops reading the process,
 * whose output then waits upstream: a slow client slows its own process.
 */
export class WebSocketBridge {
  readonly #init: BridgeInit;
  #process: Promise<ExecProcess> | undefined;
  #events: ReadableStreamDefaultReader<ExecEvent> | undefined;
  #stdin: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #queue: Promise<void> = Promise.resolve();
  /** Bytes of messages received and not handled yet. */
  #pending = 0;
  #ended = false;

  constructor(init: BridgeInit) {
    this.#init = init;
  }

  /** The socket's handlers, for Hono's `upgradeWebSocket`. */
  events(): WebSocketEventsLike {
    return {
      onOpen: (_event, ws) => this.#open(ws),
      onMessage: (event, ws) => this.#receive(ws, event.data),
      onClose: () => this.#end(),
      onError: () => this.#end(),
    };
  }

  #open(ws: WebSocketPeerLike): void {
    const { sandbox, command, rows, cols } = this.#init;
    const options = { ...spawnOptionsOf(command), tty: command.tty, rows, cols };
    this.#process = sandbox.spawn(command.cmd, command.args, options);
    this.#process.then((process) => {
      if (this.#ended) return process.events.cancel().catch(() => {});
      this.#stdin = process.stdin.getWriter();
      this.#events = process.events.getReader();
      return this.#pump(ws, this.#events);
    }).catch((error) => this.#fail(ws, error));
  }

  async #pump(
    ws: WebSocketPeerLike,
    events: ReadableStreamDefaultReader<ExecEvent>,
  ): Promise<void> {
    for (;;) {
      await drained(ws, () => this.#ended);
      const { done, value } = await events.read();
      if (done || this.#ended) return;
      switch (value.type) {
        case "started":
          ws.send(JSON.stringify({ type: "started", pid: value.pid }));
          break;
        case "stdout":
        case "stderr":
          ws.send(framed(CHANNEL[value.type], value.data));
          break;
        case "exited":
          ws.send(JSON.stringify({ type: "exited", code: value.code }));
          return this.#close(ws, 1000);
        case "failed":
          return this.#fail(ws, value.error);
      }
    }
  }

  /** Queues a message for the process, within {@linkcode MAX_PENDING_MESSAGE_BYTES}. */
  #receive(ws: WebSocketPeerLike, data: unknown): void {
    const size = sizeOf(data);
    this.#pending += size;
    if (this.#pending > MAX_PENDING_MESSAGE_BYTES) {
      const error = new RouteError(
        "payload_too_large",
        `More than ${MAX_PENDING_MESSAGE_BYTES} bytes wait for the process to read them; send stdin more slowly.`,
      );
      return this.#fail(ws, error);
    }
    this.#enqueue(ws, async () => {
      try {
        await this.#message(data);
      } finally {
        this.#pending -= size;
      }
    });
  }

  /** Runs message handlers one after another, once the process has started. */
  #enqueue(ws: WebSocketPeerLike, handle: () => Promise<void>): void {
    this.#queue = this.#queue.then(async () => {
      await this.#process;
      if (!this.#ended) await handle();
    }).catch((error) => this.#fail(ws, error));
  }

  async #message(data: unknown): Promise<void> {
    if (typeof data === "string") return await this.#control(data);
    await this.#stdin?.write(await bytesOf(data));
  }

  async #control(text: string): Promise<void> {
    const message = parseControl(text);
    const process = await this.#process!;
    if (message.type === "eof") return await this.#stdin?.close();
    if (message.type === "signal") return await process.kill(message.signal);
    await process.resize(message.rows, message.cols);
  }

  #fail(ws: WebSocketPeerLike, error: unknown): void {
    if (this.#ended) return;
    ws.send(JSON.stringify({ type: "error", ...toRouteError(error).toJSON() }));
    this.#close(ws, 1011);
  }

  #close(ws: WebSocketPeerLike, code: number): void {
    this.#end();
    if (ws.readyState === 0 || ws.readyState === 1) ws.close(code);
  }

  /** Kills the process (cancelling its events does) and releases it. */
  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#events?.cancel().catch(() => {});
  }
}

/** One control message of the client. */
type Control =
  | { type: "resize"; rows: number; cols: number }
  | { type: "signal"; signal: number }
  | { type: "eof" };

function parseControl(text: string): Control {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text);
  } catch {
    throw badControl();
  }
  if (value?.type === "eof") return { type: "eof" };
  if (value?.type === "signal" && isInteger(value.signal, 1, 64)) {
    return { type: "signal", signal: value.signal };
  }
  if (
    value?.type === "resize" && isInteger(value.rows, 1, 65535) && isInteger(value.cols, 1, 65535)
  ) {
    return { type: "resize", rows: value.rows, cols: value.cols };
  }
  throw badControl();
}

function badControl(): RouteError {
  return new RouteError(
    "invalid_request",
    'A text message must be JSON: {"type":"resize","rows":R,"cols":C}, {"type":"signal","signal":N} or {"type":"eof"}.',
  );
}

function isInteger(value: unknown, min: number, max: number): value is number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

function framed(channel: number, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const message = new Uint8Array(1 + data.byteLength);
  message[0] = channel;
  message.set(data, 1);
  return message;
}
