import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import {
  decodeMessage,
  encodeFrame,
  encodeMessage,
  flagsOf,
  type FsEntryInfo,
  type FsOp,
  type FsSetAttrs,
  type Message,
  MESSAGE_TYPES,
  type MessageType,
  type PayloadMap,
} from "../../src/protocol/mod.ts";
import {
  ascii,
  atEveryChunkSize,
  concat,
  envelopeOf,
  hex,
  replayMessages,
  toHex,
} from "./_replay.ts";

const MAX_U64 = 2n ** 64n - 1n;
const bytesOf = (text: string) => new TextEncoder().encode(text);

const ATTRS: FsSetAttrs = {
  mode: 0o755,
  uid: 1000,
  gid: null,
  size: 2n ** 60n,
  atime: -5,
  mtime: -(2n ** 63n),
};
const NO_ATTRS: FsSetAttrs = {
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
const SAMPLES: { [T in MessageType]: PayloadMap[T][] } = {
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

/** Every sample as the message it becomes, each on its own session. */
function sampleMessages(): Message[] {
  const messages: Message[] = [];
  for (const type of MESSAGE_TYPES) {
    for (const payload of SAMPLES[type]) {
      messages.push({ id: messages.length + 1, flags: flagsOf(type), version: 7, type, payload });
    }
  }
  return messages;
}

/** The payload bytes of `type`, read back out of the frame `encodeMessage` builds. */
function encodedPayload<T extends MessageType>(type: T, payload: PayloadMap[T]): string {
  const { body } = encodeMessage(1, type, payload);
  const name = new TextEncoder().encode(type).length;
  const start = 3 + 1 + 2 + 1 + name + 2;
  const head = body[start]!;
  const skip = head < 0x58 ? 1 : head === 0x58 ? 2 : head === 0x59 ? 3 : 5;
  return toHex(body.subarray(start + skip));
}

Deno.test("Every message type round-trips through the encoders and decoder streams", async () => {
  const messages = sampleMessages();
  assert.ok(messages.length > 70);
  const bytes = concat(
    messages.map((m) => encodeFrame(encodeMessage(m.id, m.type, m.payload, m.version))),
  );
  await atEveryChunkSize(async (size) => {
    assert.deepEqual(await replayMessages(bytes, size), messages);
  });
});

Deno.test("encodeMessage sets each type's flags and the default version 7", () => {
  for (const type of MESSAGE_TYPES) {
    const frame = encodeMessage(3, type, SAMPLES[type][0]!);
    assert.equal(frame.flags, flagsOf(type), type);
    assert.equal(frame.body[3], 7);
  }
  assert.equal(encodeMessage(1, "core.ping", {}, 5).body[3], 5);
  assert.deepEqual(
    encodeMessage(1, "core.ping", {}, 200).body.subarray(0, 5),
    hex("a3 61 76 18 c8"),
  );
});

Deno.test("encodeMessage writes u64 values as shortest integers, never floats", () => {
  const cases: [number | bigint, string][] = [
    [0, "00"],
    [23, "17"],
    [24, "18 18"],
    [5n, "05"],
    [0xffff_ffff, "1a ff ff ff ff"],
    [2 ** 32, "1b 00 00 00 01 00 00 00 00"],
    [2 ** 53 - 1, "1b 00 1f ff ff ff ff ff ff"],
    [2n ** 53n + 1n, "1b 00 20 00 00 00 00 00 01"],
    [MAX_U64, "1b ff ff ff ff ff ff ff ff"],
  ];
  for (const [value, expected] of cases) {
    assert.equal(
      encodedPayload("core.touched", { activitySeq: value }),
      `a1 6c ${ascii("activity_seq")} ${expected}`,
      String(value),
    );
  }
});

Deno.test("encodeMessage writes negative i32 and i64 values as CBOR major 1", () => {
  assert.equal(encodedPayload("core.exec.exited", { code: -1 }), `a1 64 ${ascii("code")} 20`);
  assert.equal(
    encodedPayload("core.exec.exited", { code: -2147483648 }),
    `a1 64 ${ascii("code")} 3a 7f ff ff ff`,
  );
  const attrs = encodedPayload("core.fs.request", {
    op: { FSetStat: { handle: 1, attrs: { ...NO_ATTRS, atime: -(2 ** 32) - 1, mtime: -25 } } },
  });
  assert.ok(attrs.includes(`${ascii("atime")} 3b 00 00 00 01 00 00 00 00`), attrs);
  assert.ok(attrs.includes(`${ascii("mtime")} 38 18`), attrs);
});

Deno.test("encodeMessage writes struct fields in wire order with snake_case names", () => {
  assert.equal(
    encodedPayload("core.exec.failed", {
      kind: "bad_cwd",
      errno: null,
      errnoName: "ENOENT",
      message: "m",
      stage: null,
    }),
    [
      "a5",
      `64 ${ascii("kind")} 67 ${ascii("bad_cwd")}`,
      `65 ${ascii("errno")} f6`,
      `6a ${ascii("errno_name")} 66 ${ascii("ENOENT")}`,
      `67 ${ascii("message")} 61 6d`,
      `65 ${ascii("stage")} f6`,
    ].join(" "),
  );
  assert.equal(
    encodedPayload("core.fs.request", { op: { Stat: { path: "/", followSymlink: true } } }),
    `a1 62 ${ascii("op")} a1 64 ${ascii("Stat")} a2 64 ${ascii("path")} 61 2f 6e ${
      ascii("follow_symlink")
    } f5`,
  );
  assert.equal(
    encodedPayload("core.fs.response", { ok: true, error: null, data: { Handle: 7 } }),
    `a3 62 ${ascii("ok")} f5 65 ${ascii("error")} f6 64 ${ascii("data")} a1 66 ${
      ascii("Handle")
    } 07`,
  );
});

Deno.test("encodeMessage omits skipped fields and counts only what it writes", () => {
  assert.equal(
    encodedPayload("core.error", { kind: "invalid_flags", message: "x" }),
    `a2 64 ${ascii("kind")} 6d ${ascii("invalid_flags")} 67 ${ascii("message")} 61 78`,
  );
  assert.equal(
    encodedPayload("core.ready", {
      bootTimeNs: 1,
      initTimeNs: 2,
      readyTimeNs: 3,
      agentVersion: "",
    }),
    `a3 6c ${ascii("boot_time_ns")} 01 6c ${ascii("init_time_ns")} 02 6d ${
      ascii("ready_time_ns")
    } 03`,
  );
  assert.equal(encodedPayload("core.ping", {}), "a0");
  assert.equal(encodedPayload("core.tcp.connected", {}), "a0");
});

Deno.test("encodeMessage sends core.shutdown with an empty p", () => {
  const frame = encodeMessage(0, "core.shutdown", {});
  assert.equal(frame.flags, 0x04);
  assert.equal(toHex(frame.body.subarray(-3)), "61 70 40");
  assert.deepEqual(decodeMessage(frame), {
    id: 0,
    flags: 4,
    version: 7,
    type: "core.shutdown",
    payload: {},
  });
});

Deno.test("decodeMessage fills the defaults of absent optional fields", () => {
  const only = (type: string, payload: string) =>
    decodeMessage({ id: 2, flags: 0, body: envelopeOf(type, hex(payload)) });
  const request = only("core.exec.request", `a1 63 ${ascii("cmd")} 62 ${ascii("ls")}`);
  assert.ok(!request.unknown && request.type === "core.exec.request");
  assert.deepEqual(request.payload, {
    cmd: "ls",
    args: [],
    env: [],
    cwd: null,
    user: null,
    tty: false,
    rows: 24,
    cols: 80,
    rlimits: [],
  });
  const failed = only(
    "core.exec.failed",
    `a2 64 ${ascii("kind")} 65 ${ascii("other")} 67 ${ascii("message")} 61 78`,
  );
  assert.ok(!failed.unknown);
  assert.deepEqual(failed.payload, {
    kind: "other",
    errno: null,
    errnoName: null,
    message: "x",
    stage: null,
  });
  const ready = only(
    "core.ready",
    `a3 6c ${ascii("boot_time_ns")} 01 6c ${ascii("init_time_ns")} 02 6d ${
      ascii("ready_time_ns")
    } 03`,
  );
  assert.ok(!ready.unknown);
  assert.deepEqual(ready.payload, { bootTimeNs: 1, initTimeNs: 2, readyTimeNs: 3 });
  const response = only("core.fs.response", `a1 62 ${ascii("ok")} f5`);
  assert.ok(!response.unknown);
  assert.deepEqual(response.payload, { ok: true, error: null, data: null });
});

Deno.test("decodeMessage ignores unknown keys and accepts long integer heads", () => {
  const message = decodeMessage({
    id: 2,
    flags: 0,
    body: envelopeOf(
      "core.exec.started",
      hex(`a2 63 ${ascii("new")} 82 01 02 63 ${ascii("pid")} 1b 00 00 00 00 00 00 00 2a`),
    ),
  });
  assert.ok(!message.unknown);
  assert.deepEqual(message.payload, { pid: 42 });
  const ready = decodeMessage({
    id: 0,
    flags: 0,
    body: envelopeOf(
      "core.touched",
      hex(`a1 6c ${ascii("activity_seq")} 1b 00 00 00 00 00 00 00 05`),
    ),
  });
  assert.ok(!ready.unknown);
  assert.deepEqual(ready.payload, { activitySeq: 5 });
});

Deno.test("decodeMessage accepts an empty p for payloads without fields", () => {
  for (const type of ["core.ping", "core.tcp.eof", "core.shutdown"] as const) {
    const message = decodeMessage({ id: 1, flags: 0, body: envelopeOf(type, new Uint8Array()) });
    assert.deepEqual(message, { id: 1, flags: 0, version: 7, type, payload: {} });
  }
});

Deno.test("encodeMessage refuses payloads that do not fit the type, naming the field", () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () => encodeMessage(4, "core.exec.resize", { rows: 70_000, cols: 80 }),
      /^Cannot encode message core\.exec\.resize on session 4: field `rows` must be a u16, got 70000$/,
    ],
    [
      () => encodeMessage(4, "core.exec.request", {} as never),
      /^Cannot encode message core\.exec\.request on session 4: missing required field `cmd`$/,
    ],
    [
      () => encodeMessage(4, "core.exec.exited", { code: 1.5 }),
      /field `code` must be an i32, got 1\.5$/,
    ],
    [
      () => encodeMessage(4, "core.touched", { activitySeq: -1 }),
      /field `activitySeq` must be a u64, got -1$/,
    ],
    [
      () => encodeMessage(4, "core.touched", { activitySeq: 2n ** 64n }),
      /field `activitySeq` must be a u64, got 18446744073709551616$/,
    ],
    [
      () => encodeMessage(4, "core.exec.stdin", { data: "hi" as never }),
      /field `data` must be a Uint8Array, got a text string$/,
    ],
    [
      () =>
        encodeMessage(4, "core.fs.request", {
          op: { Stat: { path: "/", followSymlink: true }, List: { path: "/" } } as never,
        }),
      /field `op` must be a map with exactly one FsOp variant$/,
    ],
    [
      () =>
        encodeMessage(4, "core.exec.request", {
          cmd: "x",
          rlimits: [{ resource: "cpu", soft: 1, hard: 1.5 }],
        } as never),
      /field `rlimits\[0\]\.hard` must be a u64, got 1\.5$/,
    ],
    [
      () => encodeMessage(4, "core.nope" as MessageType, {} as never),
      /^Cannot encode message: unknown type "core\.nope"$/,
    ],
    [() => encodeMessage(-1, "core.ping", {}), /the id must be a u32/],
    [() => encodeMessage(1, "core.ping", {}, 256), /the version must be a u8, got 256/],
  ];
  for (const [encode, pattern] of cases) {
    assert.throws(encode, (error) => {
      assert.ok(error instanceof ProtocolError, String(error));
      assert.match(error.message, pattern);
      return true;
    });
  }
});

Deno.test("encodeMessage fills defaults for absent fields that have one", () => {
  const full = encodeMessage(1, "core.exec.request", {
    cmd: "echo",
    args: ["hi"],
    env: [],
    cwd: "/",
    user: null,
    tty: false,
    rows: 24,
    cols: 80,
    rlimits: [],
  });
  const sparse = encodeMessage(
    1,
    "core.exec.request",
    { cmd: "echo", args: ["hi"], cwd: "/" } as never,
  );
  assert.deepEqual(sparse, full);
});
