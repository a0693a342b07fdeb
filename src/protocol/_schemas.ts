// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The schema of every payload (protocol.md §5.6): fields in wire order, with the defaults serde
// applies to absent fields. One schema drives both encoding and decoding.

import {
  arrayOf,
  bool,
  bytes,
  type Codec,
  field,
  i32,
  i64,
  nullable,
  opaqueMap,
  optional,
  struct,
  tagged,
  text,
  u16,
  u32,
  u64,
} from "./_codec.ts";
import type { MessageType } from "./message_types.ts";
import type {
  ExecData,
  ExecRequest,
  FsEntryInfo,
  FsOp,
  FsResponseData,
  FsSetAttrs,
  PayloadMap,
} from "./payloads.ts";

const toNull = (): null => null;
const toEmpty = (): never[] => [];

/** The codec of payloads without fields (`{}`, an empty map `a0`). */
export const emptyPayload: Codec<Record<string, never>> = struct([]);
const empty = emptyPayload;
const data = struct<ExecData>([field("data", bytes)]);

const rlimit = struct([field("resource", text), field("soft", u64), field("hard", u64)]);

const execRequest = struct<ExecRequest>([
  field("cmd", text),
  field("args", arrayOf(text), toEmpty),
  field("env", arrayOf(text), toEmpty),
  field("cwd", nullable(text), toNull),
  field("user", nullable(text), toNull),
  field("tty", bool, () => false),
  field("rows", u16, () => 24),
  field("cols", u16, () => 80),
  field("rlimits", arrayOf(rlimit), toEmpty),
]);

const setAttrs = struct<FsSetAttrs>([
  field("mode", nullable(u32), toNull),
  field("uid", nullable(u32), toNull),
  field("gid", nullable(u32), toNull),
  field("size", nullable(u64), toNull),
  field("atime", nullable(i64), toNull),
  field("mtime", nullable(i64), toNull),
]);

const openOptions = struct([
  field("read", bool),
  field("write", bool),
  field("append", bool),
  field("create", bool),
  field("truncate", bool),
  field("createNew", bool),
  field("mode", nullable(u32), toNull),
]);

const path = struct([field("path", text)]);
const handle = struct([field("handle", u64)]);
const srcDst = struct([field("src", text), field("dst", text)]);
const handleRange = struct([
  field("handle", u64),
  field("offset", u64),
  field("len", nullable(u64), toNull),
]);

const fsOp = tagged<FsOp>("FsOp", {
  RealPath: path,
  Stat: struct([field("path", text), field("followSymlink", bool)]),
  SetStat: struct([field("path", text), field("followSymlink", bool), field("attrs", setAttrs)]),
  List: path,
  ReadLink: path,
  Symlink: struct([field("target", text), field("linkPath", text)]),
  Mkdir: struct([field("path", text), field("mode", nullable(u32), toNull)]),
  Remove: path,
  RemoveDir: struct([field("path", text), field("recursive", bool)]),
  Copy: srcDst,
  Rename: srcDst,
  OpenFile: struct([field("path", text), field("options", openOptions)]),
  OpenDir: path,
  CloseHandle: handle,
  Read: handleRange,
  Write: handleRange,
  ReadDir: struct([field("handle", u64), field("limit", nullable(u32), toNull)]),
  FStat: handle,
  FSetStat: struct([field("handle", u64), field("attrs", setAttrs)]),
});

const entryInfo = struct<FsEntryInfo>([
  field("path", text),
  field("kind", text),
  field("size", u64),
  field("mode", u32),
  field("modified", nullable(i64), toNull),
  field("uid", u32),
  field("gid", u32),
  field("atime", nullable(i64), toNull),
  field("mtime", nullable(i64), toNull),
]);

const fsResponseData = tagged<FsResponseData>("FsResponseData", {
  Stat: entryInfo,
  List: arrayOf(entryInfo),
  Handle: u64,
  Path: text,
});

/** The payload codec of each message type. */
export const PAYLOADS: { readonly [T in MessageType]: Codec<PayloadMap[T]> } = {
  "core.ready": struct([
    field("bootTimeNs", u64),
    field("initTimeNs", u64),
    field("readyTimeNs", u64),
    optional("agentVersion", text, ""),
  ]),
  "core.init.resolved": struct([
    field("defaultUser", struct([field("uid", u32), field("gid", u32)])),
  ]),
  "core.init.ack": empty,
  "core.shutdown": empty,
  "core.relay.client.disconnected": struct([
    field("idStart", u32),
    field("idEndExclusive", u32),
  ]),
  "core.clock.sync": struct([field("unixTimeNanos", u64)]),
  "core.ping": empty,
  "core.pong": empty,
  "core.touch": empty,
  "core.touched": struct([field("activitySeq", u64)]),
  "core.error": struct([
    field("kind", text),
    field("message", text),
    optional("offendingType", text),
  ]),
  "core.exec.request": execRequest,
  "core.exec.started": struct([field("pid", u32)]),
  "core.exec.stdin": data,
  "core.exec.stdin.error": struct([
    field("errno", nullable(i32), toNull),
    field("errnoName", nullable(text), toNull),
    field("message", text),
  ]),
  "core.exec.stdout": data,
  "core.exec.stderr": data,
  "core.exec.exited": struct([field("code", i32)]),
  "core.exec.failed": struct([
    field("kind", text),
    field("errno", nullable(i32), toNull),
    field("errnoName", nullable(text), toNull),
    field("message", text),
    field("stage", nullable(text), toNull),
  ]),
  "core.exec.resize": struct([field("rows", u16), field("cols", u16)]),
  "core.exec.signal": struct([field("signal", i32)]),
  "core.fs.request": struct([field("op", fsOp)]),
  "core.fs.response": struct([
    field("ok", bool),
    field("error", nullable(text), toNull),
    field("data", nullable(fsResponseData), toNull),
  ]),
  "core.fs.data": data,
  "core.tcp.connect": struct([field("host", text), field("port", u16)]),
  "core.tcp.connected": empty,
  "core.tcp.data": data,
  "core.tcp.eof": empty,
  "core.tcp.close": empty,
  "core.tcp.closed": empty,
  "core.tcp.failed": struct([field("error", text)]),
  "core.bootstrap": opaqueMap,
};

/**
 * Types whose `p` is an empty byte string rather than an encoded map: the host sends
 * `core.shutdown` with an empty body (protocol.md §5.5).
 */
export const EMPTY_BODY_TYPES: ReadonlySet<MessageType> = new Set<MessageType>(["core.shutdown"]);
