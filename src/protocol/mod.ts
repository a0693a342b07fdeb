// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * The microsandbox agent protocol as Web Streams: length-prefixed frames
 * (`[len u32 BE][id u32 BE][flags u8][CBOR body]`) and the typed messages inside them (the
 * envelope `{v, t, p}` with its payload CBOR nested in the `p` byte string), written byte for
 * byte as the Rust agent writes them. Pure and runtime neutral: no I/O, Web APIs only.
 *
 * Decoding is one stream per layer, composed with `pipeThrough`: {@linkcode FrameDecoderStream}
 * cuts bytes into {@linkcode Frame}s (views of the input, whatever the chunking) and
 * {@linkcode MessageDecoderStream} turns frames into typed messages. Encoding mirrors it with
 * {@linkcode MessageEncoderStream} and {@linkcode FrameEncoderStream}, or the plain functions
 * {@linkcode encodeMessage} and {@linkcode encodeFrame}.
 *
 * ```ts
 * import {
 *   encodeFrame,
 *   encodeMessage,
 *   FrameDecoderStream,
 *   MessageDecoderStream,
 * } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * // What the agent answers to `echo hi`, as bytes split anywhere.
 * const bytes = new Uint8Array([
 *   ...encodeFrame(encodeMessage(1000, "core.exec.started", { pid: 42 })),
 *   ...encodeFrame(encodeMessage(1000, "core.exec.stdout", { data: new TextEncoder().encode("hi\n") })),
 *   ...encodeFrame(encodeMessage(1000, "core.exec.exited", { code: 0 })),
 * ]);
 * const chunks = [bytes.subarray(0, 10), bytes.subarray(10)];
 *
 * let output = "";
 * const messages = ReadableStream.from(chunks)
 *   .pipeThrough(new FrameDecoderStream())
 *   .pipeThrough(new MessageDecoderStream());
 * for await (const message of messages) {
 *   if (message.unknown) continue;
 *   if (message.type === "core.exec.stdout") output += new TextDecoder().decode(message.payload.data);
 *   if (message.type === "core.exec.exited") assert.equal(message.payload.code, 0);
 * }
 * assert.equal(output, "hi\n");
 * ```
 *
 * @module
 */

export {
  FLAG_SESSION_START,
  FLAG_SHUTDOWN,
  FLAG_TERMINAL,
  FRAME_HEADER_SIZE,
  MAX_FRAME_SIZE,
} from "./frame.ts";
export type { Frame } from "./frame.ts";
export { FrameDecoder } from "./frame_decoder.ts";
export type { FrameDecoderOptions } from "./frame_decoder.ts";
export { FrameDecoderStream } from "./frame_decoder_stream.ts";
export { encodeFrame, FrameEncoderStream } from "./frame_encoder_stream.ts";
export {
  flagsOf,
  generationOf,
  isMessageType,
  MESSAGE_TYPES,
  PROTOCOL_VERSION,
  SEED_PROTOCOL_VERSION,
} from "./message_types.ts";
export type { MessageType } from "./message_types.ts";
export type {
  ClockSync,
  CoreError,
  CoreErrorKind,
  DefaultUser,
  EmptyPayload,
  ExecData,
  ExecExited,
  ExecFailed,
  ExecFailureKind,
  ExecRequest,
  ExecResize,
  ExecRlimit,
  ExecSignal,
  ExecStarted,
  ExecStdinError,
  FsEntryInfo,
  FsOp,
  FsOpenOptions,
  FsRequest,
  FsResponse,
  FsResponseData,
  FsSetAttrs,
  GuestBootstrap,
  InitResolved,
  PayloadMap,
  Ready,
  RelayClientDisconnected,
  TcpConnect,
  TcpFailed,
  Touched,
} from "./payloads.ts";
export { decodeMessage, encodeMessage } from "./message.ts";
export type { DecodedMessage, Message, UnknownMessage } from "./message.ts";
export { MessageDecoderStream } from "./message_decoder_stream.ts";
export { MessageEncoderStream } from "./message_encoder_stream.ts";
