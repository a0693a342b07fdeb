import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import {
  decodeMessage,
  encodeFrame,
  encodeMessage,
  flagsOf,
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
import { MAX_U64, NO_ATTRS, SAMPLES } from "./_samples.ts";

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
