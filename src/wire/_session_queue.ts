// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The inbound messages of one session, bounded in bytes. A session that may hold its socket back
// (its own socket, with read backpressure) asks the socket to wait once its reader is behind; any
// other session never holds its socket back, and fails alone once too much is unread.

import { ConnectionError } from "../errors.ts";
import type { DecodedMessage } from "../protocol/mod.ts";

/** Unread bytes at which a session that may wait holds its socket back: about 16 frames. */
export const WAIT_AT_BYTES = 1024 * 1024;

/**
 * Unread bytes past which a session that cannot wait fails: large enough that a reader that keeps
 * reading never gets there on the runtimes we test (a full `exec` output, `maxOutputBytes`' 64 MiB,
 * fits with its other messages), small enough that a stalled reader cannot take the process's
 * memory.
 */
export const MAX_UNREAD_BYTES = 64 * 1024 * 1024 + 64 * 1024;

/** How much a session keeps unread and what happens past it. */
export interface SessionBounds {
  /** Unread bytes at which the socket waits for this session; `undefined` never to wait. */
  waitAt: number | undefined;
  /** Unread bytes past which the session fails, when it never waits. */
  maxUnread: number;
}

/**
 * The bounds of a session: waits where its socket is its own and can push back, fails alone
 * past {@linkcode MAX_UNREAD_BYTES} otherwise.
 *
 * @param own Whether the socket carries this session alone.
 * @param backpressure Whether the socket's reads slow its peer.
 * @returns The bounds.
 */
export function sessionBounds(own: boolean, backpressure: boolean): SessionBounds {
  return own && backpressure
    ? { waitAt: WAIT_AT_BYTES, maxUnread: Infinity }
    : { waitAt: undefined, maxUnread: MAX_UNREAD_BYTES };
}

/** One session's queue of decoded messages. */
export class SessionQueue {
  readonly messages: ReadableStream<DecodedMessage>;
  readonly #bounds: SessionBounds;
  readonly #describe: () => string;
  #controller!: ReadableStreamDefaultController<DecodedMessage>;
  #room: Promise<void> | undefined;
  #makeRoom: (() => void) | undefined;
  #ended = false;

  /**
   * @param bounds What the session keeps unread.
   * @param describe The session, for messages, such as `cloud sandbox agent websocket, session 7`.
   * @param onCancel Called when the reader cancels the messages.
   */
  constructor(bounds: SessionBounds, describe: () => string, onCancel: () => void) {
    this.#bounds = bounds;
    this.#describe = describe;
    this.messages = new ReadableStream<DecodedMessage>({
      start: (controller) => {
        this.#controller = controller;
      },
      pull: () => this.#release(),
      cancel: () => {
        this.#ended = true;
        this.#release();
        onCancel();
      },
    }, {
      highWaterMark: bounds.waitAt ?? bounds.maxUnread,
      size: bytesOf,
    });
  }

  /** Whether the queue was closed, failed or cancelled. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Queues a message.
   *
   * @param message The next message.
   * @returns A promise to hold the socket for, when the reader is behind and the session may wait;
   * `false` when the session failed for having too much unread; `undefined` otherwise.
   */
  push(message: DecodedMessage): Promise<void> | false | undefined {
    if (this.#ended) return undefined;
    this.#controller.enqueue(message);
    const room = this.#controller.desiredSize ?? 0;
    if (this.#bounds.waitAt !== undefined) {
      if (room > 0) return undefined;
      return this.#room ??= new Promise<void>((resolve) => this.#makeRoom = resolve);
    }
    if (room >= 0) return undefined;
    this.end(
      new ConnectionError(
        `${this.#describe()}: more than ${this.#bounds.maxUnread} received bytes were not read; ` +
          "read faster, or use a runtime with read backpressure (Deno with --unstable-net)",
      ),
    );
    return false;
  }

  /** Ends the messages: after what is queued, or with `error` at once. */
  end(error?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#release();
    try {
      if (error) this.#controller.error(error);
      else this.#controller.close();
    } catch {
      // The reader cancelled already.
    }
  }

  #release(): void {
    this.#makeRoom?.();
    this.#makeRoom = undefined;
    this.#room = undefined;
  }
}

/**
 * What a message weighs against the bound: its output bytes, and 1 for one without (workerd's
 * streams lose a chunk whose size is 0).
 */
function bytesOf(message: DecodedMessage): number {
  const data = (message as { payload?: { data?: unknown } }).payload?.data;
  return Math.max(1, data instanceof Uint8Array ? data.byteLength : 0);
}
