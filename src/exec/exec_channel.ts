// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { DecodedMessage, ExecRequest, MessageType, PayloadMap } from "../protocol/mod.ts";

/** One exec session on a socket, whatever the route: its inbound messages and a way to reply. */
export interface ExecChannel {
  /** The session's inbound messages; they end after its terminal one or when the socket ends. */
  readonly messages: ReadableStream<DecodedMessage>;
  /** Sends a message on the session, resolving once the socket has taken it. */
  send<T extends MessageType>(type: T, payload: PayloadMap[T]): Promise<void>;
  /** Releases the session and its socket (when the socket is the session's own); idempotent. */
  close(): void;
}

/** The sandbox an exec runs in. */
export interface ExecTarget {
  id: string;
  name: string;
}

/** How one wire generation opens exec sessions. */
export interface ExecRoute {
  /** Opens a session and sends its `core.exec.request`. */
  open(target: ExecTarget, request: ExecRequest, signal?: AbortSignal): Promise<ExecChannel>;
}
