// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The wire-level session: what a feature (exec, and next the guest filesystem) opens to talk to
// the sandbox agent, whatever socket the wire generation carries it on.

import type { DecodedMessage, MessageType, PayloadMap } from "../protocol/mod.ts";

/** One agent session: its inbound messages and a way to send on it. */
export interface WireSession {
  /**
   * The session's inbound messages; they end after its terminal one or when its socket ends, and
   * fail with a `ConnectionError` when the socket fails or more than the unread bound piles up.
   */
  readonly messages: ReadableStream<DecodedMessage>;
  /** Sends a message on the session, resolving once the socket has taken it. */
  send<T extends MessageType>(type: T, payload: PayloadMap[T]): Promise<void>;
  /** Releases the session, and its socket when the socket is the session's own; idempotent. */
  close(): void;
}

/** The sandbox a session talks to. */
export interface SessionTarget {
  id: string;
  name: string;
}

/** How a session is carried. */
export interface OpenSessionOptions {
  /**
   * `shared`: on a socket the client shares between the sandbox's sessions (cheap to open; the
   * socket never waits for this session's reader, so a reader that falls behind fails alone).
   * `own`: on a socket of its own, so that a slow reader slows only its own process.
   */
  socket: "shared" | "own";
  /** Aborts opening the session. */
  signal?: AbortSignal | undefined;
}

/**
 * Sessions that must ride one socket of their own, one after another or side by side: what the
 * guest filesystem needs, since a file handle is valid only on the socket that opened it.
 */
export interface SessionLink {
  /** Opens a session on the link's socket. */
  open(): WireSession;
  /** Closes the socket and ends its sessions (the agent then closes the socket's handles). */
  close(): void;
}

/** How one wire generation opens agent sessions. */
export interface SessionPort {
  /** Opens a session; the first message it sends starts what it is for. */
  open(target: SessionTarget, options: OpenSessionOptions): Promise<WireSession>;
  /**
   * Opens a socket of its own for sessions that belong together, or `undefined` where the
   * generation has no such socket (the seed's carries one command).
   */
  readonly link?: (target: SessionTarget, signal?: AbortSignal) => Promise<SessionLink>;
}
