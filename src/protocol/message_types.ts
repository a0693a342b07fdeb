// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { FLAG_SESSION_START, FLAG_SHUTDOWN, FLAG_TERMINAL } from "./frame.ts";

/**
 * Our protocol generation, sent as `v` on the agent route (`/v1/sandboxes/:id/agent`).
 *
 * @example The default `v`
 * ```ts
 * import { encodeMessage, PROTOCOL_VERSION } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(PROTOCOL_VERSION, 7);
 * const frame = encodeMessage(1, "core.ping", {});
 * assert.equal(frame.body[3], PROTOCOL_VERSION); // a3 61 76 07 …
 * ```
 */
export const PROTOCOL_VERSION = 7;

/**
 * The generation the seed (microsandbox 0.5.8) speaks, sent as `v` on its `exec.cbor` route.
 *
 * @example Encoding for the seed's route
 * ```ts
 * import { encodeMessage, SEED_PROTOCOL_VERSION } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * const frame = encodeMessage(1, "core.exec.stdin", { data: new Uint8Array() }, SEED_PROTOCOL_VERSION);
 * assert.equal(frame.body[3], 5);
 * ```
 */
export const SEED_PROTOCOL_VERSION = 5;

/**
 * The wire string (`t`) of every message type of generation 7.
 *
 * @example Narrowing a string
 * ```ts
 * import { isMessageType, type MessageType } from "@microsandbox/edge/protocol";
 *
 * const t: string = "core.exec.stdout";
 * if (isMessageType(t)) {
 *   const type: MessageType = t;
 * }
 * ```
 */
export type MessageType =
  | "core.ready"
  | "core.init.resolved"
  | "core.init.ack"
  | "core.shutdown"
  | "core.relay.client.disconnected"
  | "core.clock.sync"
  | "core.ping"
  | "core.pong"
  | "core.touch"
  | "core.touched"
  | "core.error"
  | "core.exec.request"
  | "core.exec.started"
  | "core.exec.stdin"
  | "core.exec.stdin.error"
  | "core.exec.stdout"
  | "core.exec.stderr"
  | "core.exec.exited"
  | "core.exec.failed"
  | "core.exec.resize"
  | "core.exec.signal"
  | "core.fs.request"
  | "core.fs.response"
  | "core.fs.data"
  | "core.tcp.connect"
  | "core.tcp.connected"
  | "core.tcp.data"
  | "core.tcp.eof"
  | "core.tcp.close"
  | "core.tcp.closed"
  | "core.tcp.failed"
  | "core.bootstrap";

/** `[type, flags, generation that introduced it]`, in the order of the generation-7 schema. */
const TABLE: ReadonlyArray<readonly [MessageType, number, number]> = [
  ["core.ready", 0, 1],
  ["core.init.resolved", 0, 1],
  ["core.init.ack", 0, 1],
  ["core.shutdown", FLAG_SHUTDOWN, 1],
  ["core.relay.client.disconnected", 0, 1],
  ["core.clock.sync", 0, 1],
  ["core.ping", 0, 6],
  ["core.pong", FLAG_TERMINAL, 6],
  ["core.touch", 0, 6],
  ["core.touched", FLAG_TERMINAL, 6],
  ["core.error", FLAG_TERMINAL, 5],
  ["core.exec.request", FLAG_SESSION_START, 1],
  ["core.exec.started", 0, 1],
  ["core.exec.stdin", 0, 1],
  ["core.exec.stdin.error", 0, 1],
  ["core.exec.stdout", 0, 1],
  ["core.exec.stderr", 0, 1],
  ["core.exec.exited", FLAG_TERMINAL, 1],
  ["core.exec.failed", FLAG_TERMINAL, 1],
  ["core.exec.resize", 0, 1],
  ["core.exec.signal", 0, 1],
  ["core.fs.request", FLAG_SESSION_START, 2],
  ["core.fs.response", FLAG_TERMINAL, 2],
  ["core.fs.data", 0, 2],
  ["core.tcp.connect", FLAG_SESSION_START, 4],
  ["core.tcp.connected", 0, 4],
  ["core.tcp.data", 0, 4],
  ["core.tcp.eof", 0, 4],
  ["core.tcp.close", 0, 4],
  ["core.tcp.closed", FLAG_TERMINAL, 4],
  ["core.tcp.failed", FLAG_TERMINAL, 4],
  ["core.bootstrap", 0, 7],
];

const FLAGS = new Map<string, number>(TABLE.map(([type, flags]) => [type, flags]));
const GENERATIONS = new Map<string, number>(
  TABLE.map(([type, , generation]) => [type, generation]),
);

/**
 * Every message type of generation 7, in the order of the protocol's schema.
 *
 * @example Types a generation-5 peer knows
 * ```ts
 * import { generationOf, MESSAGE_TYPES } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(MESSAGE_TYPES.length, 32);
 * assert.equal(MESSAGE_TYPES.filter((type) => generationOf(type) <= 5).length, 27);
 * ```
 */
export const MESSAGE_TYPES: readonly MessageType[] = TABLE.map(([type]) => type);

/**
 * Tells whether a wire string is a message type this library knows.
 *
 * @example Known and unknown types
 * ```ts
 * import { isMessageType } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isMessageType("core.exec.stdout"), true);
 * assert.equal(isMessageType("core.exec.teleport"), false);
 * ```
 *
 * @param t The `t` of an envelope.
 * @returns Whether `t` is one of {@linkcode MESSAGE_TYPES}.
 */
export function isMessageType(t: string): t is MessageType {
  return FLAGS.has(t);
}

/**
 * The flags every frame of a type carries (a pure function of the type; the agent rejects others).
 *
 * @example Terminal and session-start types
 * ```ts
 * import { FLAG_SESSION_START, FLAG_TERMINAL, flagsOf } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(flagsOf("core.exec.exited"), FLAG_TERMINAL);
 * assert.equal(flagsOf("core.exec.request"), FLAG_SESSION_START);
 * assert.equal(flagsOf("core.exec.stdout"), 0);
 * ```
 *
 * @param type The message type.
 * @returns Its flag bits.
 */
export function flagsOf(type: MessageType): number {
  return lookup(FLAGS, type);
}

/**
 * The protocol generation that introduced a type; never send a type above the negotiated one.
 *
 * @example Which peers know a type
 * ```ts
 * import { generationOf } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(generationOf("core.exec.request"), 1);
 * assert.equal(generationOf("core.fs.request"), 2);
 * assert.equal(generationOf("core.ping"), 6);
 * ```
 *
 * @param type The message type.
 * @returns Its `introduced_in` generation.
 */
export function generationOf(type: MessageType): number {
  return lookup(GENERATIONS, type);
}

function lookup(table: Map<string, number>, type: string): number {
  const value = table.get(type);
  if (value === undefined) throw new TypeError(`Unknown message type ${JSON.stringify(type)}`);
  return value;
}
