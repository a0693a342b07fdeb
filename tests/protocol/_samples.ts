// Representative payloads of every message type, in their canonical decoded form: what the
// payload tests round-trip and what the fuzz properties of tests/fuzz/ build frame streams from.
import type {
  FsEntryInfo,
  FsOp,
  FsSetAttrs,
  MessageType,
  PayloadMap,
} from "../../src/protocol/mod.ts";

export const MAX_U64 = 2n ** 64n - 1n;
const bytesOf = (text: string) => new TextEncoder().encode(text);

const ATTRS: FsSetAttrs = {
  mode: 0o755,
  uid: 1000,
  gid: null,
  size: 2n ** 60n,
  atime: -5,
  mtime: -(2n ** 63n),
};
export const NO_ATTRS: FsSetAttrs = {
  mode: null,
  uid: null,
  gid: null,
  size: null,
  atime: null,
  mtime: null,
};
const ENTRY: FsEntryInfo = {
  path: "/tmp/a",
  kind: "file",
  size: 3,
  mode: 0o100644,
  modified: 1_764_000_000,
  uid: 0,
  gid: 0,
  atime: null,
  mtime: 2n ** 62n,
};

/** One of each `FsOp` variant. */
const FS_OPS: FsOp[] = [
  { RealPath: { path: "." } },
  { Stat: { path: "/etc/hostname", followSymlink: true } },
  { SetStat: { path: "/x", followSymlink: false, attrs: ATTRS } },
  { List: { path: "/" } },
  { ReadLink: { path: "/bin/sh" } },
  { Symlink: { target: "/a", linkPath: "/b" } },
  { Mkdir: { path: "/d", mode: null } },
  { Mkdir: { path: "/e", mode: 0o700 } },
  { Remove: { path: "/f" } },
  { RemoveDir: { path: "/g", recursive: true } },
  { Copy: { src: "/a", dst: "/b" } },
  { Rename: { src: "/b", dst: "/c" } },
  {
    OpenFile: {
      path: "/h",
      options: {
        read: true,
        write: true,
        append: false,
        create: true,
        truncate: false,
        createNew: false,
        mode: 0o644,
      },
    },
  },
  { OpenDir: { path: "/i" } },
  { CloseHandle: { handle: MAX_U64 } },
  { Read: { handle: 7, offset: 2n ** 56n, len: null } },
  { Write: { handle: 7, offset: 0, len: 3 * 1024 * 1024 } },
  { ReadDir: { handle: 8, limit: 100 } },
  { ReadDir: { handle: 8, limit: null } },
  { FStat: { handle: 9 } },
  { FSetStat: { handle: 9, attrs: NO_ATTRS } },
];

/** Representative payloads of every message type, in their canonical decoded form. */
export const SAMPLES: { [T in MessageType]: PayloadMap[T][] } = {
  "core.ready": [
    { bootTimeNs: 1, initTimeNs: 2 ** 40, readyTimeNs: MAX_U64, agentVersion: "0.6.8" },
    { bootTimeNs: 0, initTimeNs: 0, readyTimeNs: 0 },
  ],
  "core.init.resolved": [{ defaultUser: { uid: 1000, gid: 0xffff_ffff } }],
  "core.init.ack": [{}],
  "core.shutdown": [{}],
  "core.relay.client.disconnected": [{ idStart: 1000, idEndExclusive: 2000 }],
  "core.clock.sync": [{ unixTimeNanos: 1_764_000_000_000_000_000n }],
  "core.ping": [{}],
  "core.pong": [{}],
  "core.touch": [{}],
  "core.touched": [{ activitySeq: 12 }, { activitySeq: 2n ** 53n + 1n }],
  "core.error": [
    { kind: "invalid_payload", message: "missing field `cmd`", offendingType: "core.exec.request" },
    { kind: "future_kind", message: "" },
  ],
  "core.exec.request": [
    {
      cmd: "sh",
      args: ["-c", "exit 3", "ünïcödé"],
      env: ["A=1", "B=x=y"],
      cwd: null,
      user: "nobody",
      tty: true,
      rows: 65535,
      cols: 0,
      rlimits: [
        { resource: "nofile", soft: 1024, hard: 4096 },
        { resource: "as", soft: MAX_U64, hard: MAX_U64 },
      ],
    },
  ],
  "core.exec.started": [{ pid: 1 }, { pid: 0xffff_ffff }],
  "core.exec.stdin": [{ data: new Uint8Array() }, { data: bytesOf("input") }],
  "core.exec.stdin.error": [
    { errno: 32, errnoName: "EPIPE", message: "broken pipe" },
    { errno: null, errnoName: null, message: "closed" },
  ],
  "core.exec.stdout": [{ data: new Uint8Array(70_000).fill(0x61) }, { data: new Uint8Array() }],
  "core.exec.stderr": [{ data: Uint8Array.of(0, 255, 10) }],
  "core.exec.exited": [{ code: 0 }, { code: -1 }, { code: -2147483648 }, { code: 2147483647 }],
  "core.exec.failed": [
    { kind: "not_found", errno: 2, errnoName: "ENOENT", message: "no such file", stage: "execvp" },
    { kind: "other", errno: null, errnoName: null, message: "agent error", stage: null },
  ],
  "core.exec.resize": [{ rows: 50, cols: 132 }],
  "core.exec.signal": [{ signal: 9 }, { signal: -1 }],
  "core.fs.request": FS_OPS.map((op) => ({ op })),
  "core.fs.response": [
    { ok: true, error: null, data: { Stat: ENTRY } },
    { ok: true, error: null, data: { List: [ENTRY, { ...ENTRY, path: "/tmp/b", kind: "dir" }] } },
    { ok: true, error: null, data: { List: [] } },
    { ok: true, error: null, data: { Handle: 7 } },
    { ok: true, error: null, data: { Handle: MAX_U64 } },
    { ok: true, error: null, data: { Path: "/real/path" } },
    { ok: true, error: null, data: null },
    { ok: false, error: "No such file or directory", data: null },
  ],
  "core.fs.data": [{ data: new Uint8Array(3 * 1024).fill(1) }, { data: new Uint8Array() }],
  "core.tcp.connect": [{ host: "127.0.0.1", port: 8080 }],
  "core.tcp.connected": [{}],
  "core.tcp.data": [{ data: bytesOf("GET / HTTP/1.1\r\n\r\n") }],
  "core.tcp.eof": [{}],
  "core.tcp.close": [{}],
  "core.tcp.closed": [{}],
  "core.tcp.failed": [{ error: "connection refused" }],
  "core.bootstrap": [{ hostname: "sandbox", default_env: ["A=1"] }],
};
