// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * One frame of the agent protocol: `[len u32 BE][id u32 BE][flags u8][body]`, where `len` counts
 * the id, the flags and the body.
 *
 * @example A stdin frame for session 1
 * ```ts
 * import type { Frame } from "@microsandbox/edge/protocol";
 *
 * const frame: Frame = { id: 1, flags: 0, body: new Uint8Array([0xa0]) };
 * ```
 */
export interface Frame {
  /** The session (correlation) id, a u32. */
  id: number;
  /** The flag bits, a u8: {@linkcode FLAG_TERMINAL}, {@linkcode FLAG_SESSION_START}, … */
  flags: number;
  /** The CBOR envelope `{v, t, p}`; a view of the received bytes where possible. */
  body: Uint8Array;
}

/**
 * Bytes after the length prefix that are not body: the id (4) and the flags (1).
 *
 * @example The smallest `len`
 * ```ts
 * import { FRAME_HEADER_SIZE } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(FRAME_HEADER_SIZE, 5);
 * ```
 */
export const FRAME_HEADER_SIZE = 5;

/**
 * The largest `len` a frame may declare (4 MiB), so a whole frame is at most 4 MiB + 4 bytes.
 *
 * @example The largest body
 * ```ts
 * import { FRAME_HEADER_SIZE, MAX_FRAME_SIZE } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(MAX_FRAME_SIZE - FRAME_HEADER_SIZE, 4_194_299);
 * ```
 */
export const MAX_FRAME_SIZE: number = 4 * 1024 * 1024;

/**
 * Flag bit of the last frame of a session (`core.exec.exited`, `core.fs.response`, …).
 *
 * @example Testing a frame
 * ```ts
 * import { FLAG_TERMINAL } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal((0x01 & FLAG_TERMINAL) !== 0, true);
 * ```
 */
export const FLAG_TERMINAL = 0x01;

/**
 * Flag bit of the first frame of a session (`core.exec.request`, `core.fs.request`,
 * `core.tcp.connect`).
 *
 * @example Testing a frame
 * ```ts
 * import { FLAG_SESSION_START } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(FLAG_SESSION_START, 0x02);
 * ```
 */
export const FLAG_SESSION_START = 0x02;

/**
 * Flag bit of `core.shutdown`.
 *
 * @example Testing a frame
 * ```ts
 * import { FLAG_SHUTDOWN } from "@microsandbox/edge/protocol";
 * import assert from "node:assert/strict";
 *
 * assert.equal(FLAG_SHUTDOWN, 0x04);
 * ```
 */
export const FLAG_SHUTDOWN = 0x04;
