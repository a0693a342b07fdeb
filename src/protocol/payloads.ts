// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The payload of every message type, in camelCase. The codec maps each field to its snake_case
// wire name and writes the fields in the order declared here, which is the wire order of the Rust
// structs (protocol.md §5.6). u64 and i64 fields take a `number` or a `bigint` and come back as a
// `number` up to `Number.MAX_SAFE_INTEGER` and as a `bigint` above it.

/**
 * One resource limit of an {@linkcode ExecRequest} (`setrlimit`).
 *
 * @example No limit on open files
 * ```ts
 * import type { ExecRlimit } from "@microsandbox/edge/protocol";
 *
 * const unlimited: ExecRlimit = { resource: "nofile", soft: 2n ** 64n - 1n, hard: 2n ** 64n - 1n };
 * ```
 */
export interface ExecRlimit {
  /** The lowercase resource name: `cpu`, `fsize`, `data`, `stack`, `core`, `rss`, `nproc`, `nofile`, … */
  resource: string;
  /** The soft limit, a u64 (`RLIM_INFINITY` is 2^64 − 1). */
  soft: number | bigint;
  /** The hard limit, a u64. */
  hard: number | bigint;
}

/**
 * The payload of `core.exec.request`: the command to spawn.
 *
 * @example What `exec("echo", ["hi"])` sends
 * ```ts
 * import type { ExecRequest } from "@microsandbox/edge/protocol";
 *
 * const request: ExecRequest = {
 *   cmd: "echo", args: ["hi"], env: [], cwd: "/", user: null,
 *   tty: false, rows: 24, cols: 80, rlimits: [],
 * };
 * ```
 */
export interface ExecRequest {
  /** The program. */
  cmd: string;
  /** Its arguments (default `[]` when absent on the wire). */
  args: string[];
  /** Environment entries, each `KEY=VALUE` (default `[]`). */
  env: string[];
  /** The working directory, or `null` for the agent's default. */
  cwd: string | null;
  /** The user to run as, or `null` for the default user. */
  user: string | null;
  /** Whether to allocate a PTY (default `false`). */
  tty: boolean;
  /** PTY rows, a u16 (default 24). */
  rows: number;
  /** PTY columns, a u16 (default 80). */
  cols: number;
  /** Resource limits (default `[]`). */
  rlimits: ExecRlimit[];
}

/**
 * The payload of `core.exec.started`.
 *
 * @example Usage
 * ```ts
 * import type { ExecStarted } from "@microsandbox/edge/protocol";
 *
 * const started: ExecStarted = { pid: 42 };
 * ```
 */
export interface ExecStarted {
  /** The guest pid, a u32. */
  pid: number;
}

/**
 * The payload of `core.exec.stdin`, `core.exec.stdout`, `core.exec.stderr`, `core.fs.data` and
 * `core.tcp.data`. An empty `data` on stdin or fs data means end of input.
 *
 * @example Stdin EOF
 * ```ts
 * import type { ExecData } from "@microsandbox/edge/protocol";
 *
 * const eof: ExecData = { data: new Uint8Array() };
 * ```
 */
export interface ExecData {
  /** The bytes; decoded, a view of the received frame. */
  data: Uint8Array;
}

/**
 * The payload of `core.exec.exited` (terminal).
 *
 * @example Killed by a signal
 * ```ts
 * import type { ExecExited } from "@microsandbox/edge/protocol";
 *
 * const killed: ExecExited = { code: -1 };
 * ```
 */
export interface ExecExited {
  /** The exit status, an i32; −1 when a signal killed the process. */
  code: number;
}

/**
 * Why a spawn failed (`core.exec.failed`); other strings may come from newer agents.
 *
 * @example Usage
 * ```ts
 * import type { ExecFailureKind } from "@microsandbox/edge/protocol";
 *
 * const kind: ExecFailureKind = "not_found";
 * ```
 */
export type ExecFailureKind =
  | "not_found"
  | "permission_denied"
  | "not_executable"
  | "bad_cwd"
  | "bad_args"
  | "resource_limit"
  | "user_setup_failed"
  | "out_of_memory"
  | "pty_setup_failed"
  | "other";

/**
 * The payload of `core.exec.failed` (terminal): the process could not be spawned.
 *
 * @example Command not found
 * ```ts
 * import type { ExecFailed } from "@microsandbox/edge/protocol";
 *
 * const failed: ExecFailed = {
 *   kind: "not_found", errno: 2, errnoName: "ENOENT", message: "no such file", stage: "execvp",
 * };
 * ```
 */
export interface ExecFailed {
  /** The failure class. */
  kind: ExecFailureKind | (string & Record<never, never>);
  /** The errno, an i32, when there is one. */
  errno: number | null;
  /** The errno's name, such as `ENOENT`. */
  errnoName: string | null;
  /** What failed. */
  message: string;
  /** The step that failed, such as `execvp` or `setrlimit(RLIMIT_NOFILE)`. */
  stage: string | null;
}

/**
 * The payload of `core.exec.stdin.error` (not terminal): a write to the process's stdin failed.
 *
 * @example A closed pipe
 * ```ts
 * import type { ExecStdinError } from "@microsandbox/edge/protocol";
 *
 * const error: ExecStdinError = { errno: 32, errnoName: "EPIPE", message: "broken pipe" };
 * ```
 */
export interface ExecStdinError {
  /** The errno, an i32, when there is one. */
  errno: number | null;
  /** The errno's name, such as `EPIPE`. */
  errnoName: string | null;
  /** What failed. */
  message: string;
}

/**
 * The payload of `core.exec.resize`: the PTY's new size.
 *
 * @example Usage
 * ```ts
 * import type { ExecResize } from "@microsandbox/edge/protocol";
 *
 * const resize: ExecResize = { rows: 50, cols: 132 };
 * ```
 */
export interface ExecResize {
  /** Rows, a u16. */
  rows: number;
  /** Columns, a u16. */
  cols: number;
}

/**
 * The payload of `core.exec.signal`.
 *
 * @example SIGTERM
 * ```ts
 * import type { ExecSignal } from "@microsandbox/edge/protocol";
 *
 * const terminate: ExecSignal = { signal: 15 };
 * ```
 */
export interface ExecSignal {
  /** The Linux signal number, an i32. */
  signal: number;
}

/**
 * What a `core.error` reports; other strings may come from newer agents.
 *
 * @example Usage
 * ```ts
 * import type { CoreErrorKind } from "@microsandbox/edge/protocol";
 *
 * const kind: CoreErrorKind = "invalid_payload";
 * ```
 */
export type CoreErrorKind =
  | "malformed_message"
  | "unsupported_message_type"
  | "unsupported_protocol_generation"
  | "invalid_flags"
  | "invalid_payload"
  | "invalid_session";

/**
 * The payload of `core.error` (terminal).
 *
 * @example A payload the agent could not read
 * ```ts
 * import type { CoreError } from "@microsandbox/edge/protocol";
 *
 * const error: CoreError = {
 *   kind: "invalid_payload", message: "missing field `cmd`", offendingType: "core.exec.request",
 * };
 * ```
 */
export interface CoreError {
  /** The error class. */
  kind: CoreErrorKind | (string & Record<never, never>);
  /** What went wrong. */
  message: string;
  /** The type of the offending message; absent on the wire when unknown. */
  offendingType?: string;
}

/**
 * The payload of `core.ready`, the agent's first frame (id 0).
 *
 * @example Usage
 * ```ts
 * import type { Ready } from "@microsandbox/edge/protocol";
 *
 * const ready: Ready = { bootTimeNs: 1, initTimeNs: 2, readyTimeNs: 3, agentVersion: "0.6.8" };
 * ```
 */
export interface Ready {
  /** Boot time in nanoseconds, a u64. */
  bootTimeNs: number | bigint;
  /** Init time in nanoseconds, a u64. */
  initTimeNs: number | bigint;
  /** Ready time in nanoseconds, a u64. */
  readyTimeNs: number | bigint;
  /** The agent's version; absent (and omitted on the wire) when empty or unknown. */
  agentVersion?: string;
}

/**
 * The guest's default user, in {@linkcode InitResolved}.
 *
 * @example Root
 * ```ts
 * import type { DefaultUser } from "@microsandbox/edge/protocol";
 *
 * const root: DefaultUser = { uid: 0, gid: 0 };
 * ```
 */
export interface DefaultUser {
  /** The uid, a u32. */
  uid: number;
  /** The gid, a u32. */
  gid: number;
}

/**
 * The payload of `core.init.resolved`.
 *
 * @example Usage
 * ```ts
 * import type { InitResolved } from "@microsandbox/edge/protocol";
 *
 * const resolved: InitResolved = { defaultUser: { uid: 1000, gid: 1000 } };
 * ```
 */
export interface InitResolved {
  /** The user commands run as by default. */
  defaultUser: DefaultUser;
}

/**
 * The payload of `core.clock.sync`.
 *
 * @example Usage
 * ```ts
 * import type { ClockSync } from "@microsandbox/edge/protocol";
 *
 * const sync: ClockSync = { unixTimeNanos: 1_764_000_000_000_000_000n };
 * ```
 */
export interface ClockSync {
  /** The host's Unix time in nanoseconds, a u64. */
  unixTimeNanos: number | bigint;
}

/**
 * The payload of `core.relay.client.disconnected`: a relay client's id range went away.
 *
 * @example Usage
 * ```ts
 * import type { RelayClientDisconnected } from "@microsandbox/edge/protocol";
 *
 * const gone: RelayClientDisconnected = { idStart: 1000, idEndExclusive: 2000 };
 * ```
 */
export interface RelayClientDisconnected {
  /** The first id of the range, a u32. */
  idStart: number;
  /** The id after the range, a u32. */
  idEndExclusive: number;
}

/**
 * The payload of `core.touched` (terminal), the answer to `core.touch`.
 *
 * @example Usage
 * ```ts
 * import type { Touched } from "@microsandbox/edge/protocol";
 *
 * const touched: Touched = { activitySeq: 12 };
 * ```
 */
export interface Touched {
  /** The agent's activity counter, a u64. */
  activitySeq: number | bigint;
}

/**
 * The payload of types that carry none (`core.init.ack`, `core.shutdown`, `core.ping`,
 * `core.pong`, `core.touch`, `core.tcp.connected`, `core.tcp.eof`, `core.tcp.close`,
 * `core.tcp.closed`): write `{}`.
 *
 * @example Usage
 * ```ts
 * import type { EmptyPayload } from "@microsandbox/edge/protocol";
 *
 * const ping: EmptyPayload = {};
 * ```
 */
export type EmptyPayload = Record<string, never>;

/**
 * Attributes to change with `SetStat`/`FSetStat`; `null` leaves one as it is.
 *
 * @example Make a file executable
 * ```ts
 * import type { FsSetAttrs } from "@microsandbox/edge/protocol";
 *
 * const attrs: FsSetAttrs = { mode: 0o755, uid: null, gid: null, size: null, atime: null, mtime: null };
 * ```
 */
export interface FsSetAttrs {
  /** Permission bits, a u32. */
  mode: number | null;
  /** Owner uid, a u32. */
  uid: number | null;
  /** Owner gid, a u32. */
  gid: number | null;
  /** New size (truncate or extend), a u64. */
  size: number | bigint | null;
  /** Access time, Unix seconds (i64). */
  atime: number | bigint | null;
  /** Modification time, Unix seconds (i64). */
  mtime: number | bigint | null;
}

/**
 * How `OpenFile` opens a file, like `open(2)` flags.
 *
 * @example Create or truncate for writing
 * ```ts
 * import type { FsOpenOptions } from "@microsandbox/edge/protocol";
 *
 * const options: FsOpenOptions = {
 *   read: false, write: true, append: false, create: true, truncate: true, createNew: false, mode: 0o644,
 * };
 * ```
 */
export interface FsOpenOptions {
  /** Open for reading. */
  read: boolean;
  /** Open for writing. */
  write: boolean;
  /** Write at the end (`O_APPEND`). */
  append: boolean;
  /** Create the file when it is missing (`O_CREAT`). */
  create: boolean;
  /** Empty the file (`O_TRUNC`). */
  truncate: boolean;
  /** Fail when the file exists (`O_EXCL`). */
  createNew: boolean;
  /** Permission bits for a created file, a u32. */
  mode: number | null;
}

/**
 * A guest filesystem operation (`core.fs.request`): an externally tagged enum whose one key is the
 * PascalCase variant name, as on the wire. Handles, offsets and lengths are u64.
 *
 * @example Stat a path, then read a whole file through a handle
 * ```ts
 * import type { FsOp } from "@microsandbox/edge/protocol";
 *
 * const stat: FsOp = { Stat: { path: "/etc/hostname", followSymlink: true } };
 * const read: FsOp = { Read: { handle: 7, offset: 0, len: null } };
 * ```
 */
export type FsOp =
  | { RealPath: { path: string } }
  | { Stat: { path: string; followSymlink: boolean } }
  | { SetStat: { path: string; followSymlink: boolean; attrs: FsSetAttrs } }
  | { List: { path: string } }
  | { ReadLink: { path: string } }
  | { Symlink: { target: string; linkPath: string } }
  | { Mkdir: { path: string; mode: number | null } }
  | { Remove: { path: string } }
  | { RemoveDir: { path: string; recursive: boolean } }
  | { Copy: { src: string; dst: string } }
  | { Rename: { src: string; dst: string } }
  | { OpenFile: { path: string; options: FsOpenOptions } }
  | { OpenDir: { path: string } }
  | { CloseHandle: { handle: number | bigint } }
  | { Read: { handle: number | bigint; offset: number | bigint; len: number | bigint | null } }
  | { Write: { handle: number | bigint; offset: number | bigint; len: number | bigint | null } }
  | { ReadDir: { handle: number | bigint; limit: number | null } }
  | { FStat: { handle: number | bigint } }
  | { FSetStat: { handle: number | bigint; attrs: FsSetAttrs } };

/**
 * The payload of `core.fs.request`.
 *
 * @example Usage
 * ```ts
 * import type { FsRequest } from "@microsandbox/edge/protocol";
 *
 * const request: FsRequest = { op: { List: { path: "/tmp" } } };
 * ```
 */
export interface FsRequest {
  /** The operation. */
  op: FsOp;
}

/**
 * One file's metadata, from `Stat`, `FStat` and `List`.
 *
 * @example Usage
 * ```ts
 * import type { FsEntryInfo } from "@microsandbox/edge/protocol";
 *
 * const info: FsEntryInfo = {
 *   path: "/tmp/a", kind: "file", size: 3, mode: 0o100644, modified: 1_764_000_000,
 *   uid: 0, gid: 0, atime: null, mtime: 1_764_000_000,
 * };
 * ```
 */
export interface FsEntryInfo {
  /** The entry's path. */
  path: string;
  /** `file`, `dir`, `symlink` or `other`. */
  kind: "file" | "dir" | "symlink" | "other" | (string & Record<never, never>);
  /** Size in bytes, a u64. */
  size: number | bigint;
  /** Mode bits including the file type, a u32. */
  mode: number;
  /** Modification time, Unix seconds (i64). */
  modified: number | bigint | null;
  /** Owner uid, a u32. */
  uid: number;
  /** Owner gid, a u32. */
  gid: number;
  /** Access time, Unix seconds (i64). */
  atime: number | bigint | null;
  /** Modification time, Unix seconds (i64). */
  mtime: number | bigint | null;
}

/**
 * What a successful `core.fs.response` carries: an externally tagged enum with PascalCase keys.
 *
 * @example A new handle
 * ```ts
 * import type { FsResponseData } from "@microsandbox/edge/protocol";
 *
 * const opened: FsResponseData = { Handle: 7 };
 * ```
 */
export type FsResponseData =
  | { Stat: FsEntryInfo }
  | { List: FsEntryInfo[] }
  | { Handle: number | bigint }
  | { Path: string };

/**
 * The payload of `core.fs.response` (terminal).
 *
 * @example A failure
 * ```ts
 * import type { FsResponse } from "@microsandbox/edge/protocol";
 *
 * const response: FsResponse = { ok: false, error: "No such file or directory", data: null };
 * ```
 */
export interface FsResponse {
  /** Whether the operation succeeded. */
  ok: boolean;
  /** The error message when `ok` is false. */
  error: string | null;
  /** The result, for operations that return one. */
  data: FsResponseData | null;
}

/**
 * The payload of `core.tcp.connect`: open a TCP connection from the guest.
 *
 * @example Usage
 * ```ts
 * import type { TcpConnect } from "@microsandbox/edge/protocol";
 *
 * const connect: TcpConnect = { host: "127.0.0.1", port: 8080 };
 * ```
 */
export interface TcpConnect {
  /** The host to connect to, as the guest resolves it. */
  host: string;
  /** The port, a u16. */
  port: number;
}

/**
 * The payload of `core.tcp.failed` (terminal).
 *
 * @example Usage
 * ```ts
 * import type { TcpFailed } from "@microsandbox/edge/protocol";
 *
 * const failed: TcpFailed = { error: "connection refused" };
 * ```
 */
export interface TcpFailed {
  /** Why the connection failed. */
  error: string;
}

/**
 * The payload of `core.bootstrap`: host-only boot configuration that a cloud client never sends.
 * It passes through as the decoded CBOR map, with its snake_case wire keys.
 *
 * @example Usage
 * ```ts
 * import type { GuestBootstrap } from "@microsandbox/edge/protocol";
 *
 * const bootstrap: GuestBootstrap = { hostname: "sandbox" };
 * ```
 */
export type GuestBootstrap = Record<string, unknown>;

/**
 * The payload type of each message type (one entry per `MessageType`).
 *
 * @example Typing a payload by its message type
 * ```ts
 * import type { PayloadMap } from "@microsandbox/edge/protocol";
 *
 * const exited: PayloadMap["core.exec.exited"] = { code: 0 };
 * ```
 */
export interface PayloadMap {
  /** The payload of `core.ready`. */
  "core.ready": Ready;
  /** The payload of `core.init.resolved`. */
  "core.init.resolved": InitResolved;
  /** The payload of `core.init.ack`. */
  "core.init.ack": EmptyPayload;
  /** The payload of `core.shutdown`. */
  "core.shutdown": EmptyPayload;
  /** The payload of `core.relay.client.disconnected`. */
  "core.relay.client.disconnected": RelayClientDisconnected;
  /** The payload of `core.clock.sync`. */
  "core.clock.sync": ClockSync;
  /** The payload of `core.ping`. */
  "core.ping": EmptyPayload;
  /** The payload of `core.pong`. */
  "core.pong": EmptyPayload;
  /** The payload of `core.touch`. */
  "core.touch": EmptyPayload;
  /** The payload of `core.touched`. */
  "core.touched": Touched;
  /** The payload of `core.error`. */
  "core.error": CoreError;
  /** The payload of `core.exec.request`. */
  "core.exec.request": ExecRequest;
  /** The payload of `core.exec.started`. */
  "core.exec.started": ExecStarted;
  /** The payload of `core.exec.stdin`. */
  "core.exec.stdin": ExecData;
  /** The payload of `core.exec.stdin.error`. */
  "core.exec.stdin.error": ExecStdinError;
  /** The payload of `core.exec.stdout`. */
  "core.exec.stdout": ExecData;
  /** The payload of `core.exec.stderr`. */
  "core.exec.stderr": ExecData;
  /** The payload of `core.exec.exited`. */
  "core.exec.exited": ExecExited;
  /** The payload of `core.exec.failed`. */
  "core.exec.failed": ExecFailed;
  /** The payload of `core.exec.resize`. */
  "core.exec.resize": ExecResize;
  /** The payload of `core.exec.signal`. */
  "core.exec.signal": ExecSignal;
  /** The payload of `core.fs.request`. */
  "core.fs.request": FsRequest;
  /** The payload of `core.fs.response`. */
  "core.fs.response": FsResponse;
  /** The payload of `core.fs.data`. */
  "core.fs.data": ExecData;
  /** The payload of `core.tcp.connect`. */
  "core.tcp.connect": TcpConnect;
  /** The payload of `core.tcp.connected`. */
  "core.tcp.connected": EmptyPayload;
  /** The payload of `core.tcp.data`. */
  "core.tcp.data": ExecData;
  /** The payload of `core.tcp.eof`. */
  "core.tcp.eof": EmptyPayload;
  /** The payload of `core.tcp.close`. */
  "core.tcp.close": EmptyPayload;
  /** The payload of `core.tcp.closed`. */
  "core.tcp.closed": EmptyPayload;
  /** The payload of `core.tcp.failed`. */
  "core.tcp.failed": TcpFailed;
  /** The payload of `core.bootstrap`. */
  "core.bootstrap": GuestBootstrap;
}
