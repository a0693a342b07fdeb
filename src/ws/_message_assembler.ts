// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { type CloseInfo, parseClose } from "./_close_payload.ts";
import { Opcode } from "./_opcode.ts";
import { CloseCode, wsMalformed } from "./_ws_error.ts";
import type { WsFrame } from "./_ws_frame.ts";

/** What a server's frames mean, once fragments are joined: a message or a control frame. */
export type WsEvent =
  | { type: "text"; data: string }
  | { type: "binary"; data: Uint8Array }
  | { type: "ping" | "pong"; data: Uint8Array }
  | ({ type: "close" } & CloseInfo);

/**
 * Joins the fragments of each message (RFC 6455 §5.4), within `maxMessageSize` bytes, and hands
 * out messages and control frames, which may come between fragments. Text is checked as UTF-8
 * fragment by fragment, so a bad sequence fails at once, not at the end of a long message. A
 * message of one frame is a view of the chunk it came in; fragments are copied, as they outlive it.
 */
export class WsMessageAssembler {
  readonly #onEvent: (event: WsEvent) => void;
  readonly #maxMessageSize: number;
  #opcode: number | undefined;
  #size = 0;
  #parts: Uint8Array[] = [];
  #text = "";
  #decoder = new TextDecoder("utf-8", { fatal: true });

  /** Builds an assembler that hands each message and control frame to `onEvent`. */
  constructor(onEvent: (event: WsEvent) => void, maxMessageSize: number) {
    this.#onEvent = onEvent;
    this.#maxMessageSize = maxMessageSize;
  }

  /** Takes one frame, already checked by the frame parser. */
  frame(frame: WsFrame): void {
    if (frame.opcode === Opcode.Close) {
      this.#onEvent({ type: "close", ...parseClose(frame.payload) });
    } else if (frame.opcode === Opcode.Ping) this.#onEvent({ type: "ping", data: frame.payload });
    else if (frame.opcode === Opcode.Pong) this.#onEvent({ type: "pong", data: frame.payload });
    else this.#data(frame);
  }

  #data(frame: WsFrame): void {
    if (frame.opcode === Opcode.Continuation && this.#opcode === undefined) {
      throw wsMalformed("a continuation frame comes outside a message");
    }
    if (frame.opcode !== Opcode.Continuation && this.#opcode !== undefined) {
      throw wsMalformed("a new message starts before the last one ended");
    }
    this.#opcode ??= frame.opcode;
    this.#size += frame.payload.length;
    if (this.#size > this.#maxMessageSize) {
      throw wsMalformed(`a message is longer than ${this.#maxMessageSize} bytes`, CloseCode.TooBig);
    }
    if (this.#opcode === Opcode.Text) this.#text += this.#decode(frame.payload, !frame.fin);
    else {this.#parts.push(
        frame.fin && this.#parts.length === 0 ? frame.payload : frame.payload.slice(),
      );}
    if (frame.fin) this.#end();
  }

  #decode(bytes: Uint8Array, stream: boolean): string {
    try {
      return this.#decoder.decode(bytes, { stream });
    } catch {
      throw wsMalformed("a text message is not UTF-8", CloseCode.InvalidData);
    }
  }

  #end(): void {
    const event: WsEvent = this.#opcode === Opcode.Text
      ? { type: "text", data: this.#text }
      : { type: "binary", data: join(this.#parts, this.#size) };
    this.#opcode = undefined;
    this.#size = 0;
    this.#parts = [];
    this.#text = "";
    this.#onEvent(event);
  }
}

/** The parts as one array; a single part as it is. */
function join(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}
