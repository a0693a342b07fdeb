import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import {
  decodeMessage,
  encodeFrame,
  encodeMessage,
  type ExecRequest,
  FrameDecoder,
  type Message,
} from "../../src/protocol/mod.ts";
import {
  CAPTURED_CURRENT_ECHO_REQUEST,
  CAPTURED_V05_CAT_REQUEST,
  CAPTURED_V05_ECHO_REQUEST,
  CAPTURED_V05_STDIN_EOF,
  CAPTURED_V05_STDIN_HI,
  EXAMPLE_B_STDOUT,
  EXAMPLE_D_EXITED,
} from "./_fixtures.ts";
import {
  ascii,
  atEveryChunkSize,
  concat,
  envelopeOf,
  hex,
  replayMessages,
  toHex,
} from "./_replay.ts";

const text = new TextEncoder();

/** What `build_exec_request` yields for `exec(cmd, args)` with a default config. */
function execRequest(cmd: string, args: string[], env: string[] = []): ExecRequest {
  return { cmd, args, env, cwd: "/", user: null, tty: false, rows: 24, cols: 80, rlimits: [] };
}

/** Each golden frame with the message it holds. */
const GOLDEN: [string, Uint8Array, Message][] = [
  ["the v0.5 `echo hi` request", CAPTURED_V05_ECHO_REQUEST, {
    id: 1,
    flags: 2,
    version: 5,
    type: "core.exec.request",
    payload: execRequest("echo", ["hi"]),
  }],
  ["the v0.5 `cat` request", CAPTURED_V05_CAT_REQUEST, {
    id: 1,
    flags: 2,
    version: 5,
    type: "core.exec.request",
    payload: execRequest("cat", []),
  }],
  ["the v0.5 stdin `hi`", CAPTURED_V05_STDIN_HI, {
    id: 1,
    flags: 0,
    version: 5,
    type: "core.exec.stdin",
    payload: { data: text.encode("hi") },
  }],
  ["the v0.5 stdin EOF (example C)", CAPTURED_V05_STDIN_EOF, {
    id: 1,
    flags: 0,
    version: 5,
    type: "core.exec.stdin",
    payload: { data: new Uint8Array() },
  }],
  ["the current-wire request with env A=1", CAPTURED_CURRENT_ECHO_REQUEST, {
    id: 1000,
    flags: 2,
    version: 7,
    type: "core.exec.request",
    payload: execRequest("echo", ["hi"], ["A=1"]),
  }],
  ["example B, stdout `hi\\n`", EXAMPLE_B_STDOUT, {
    id: 1,
    flags: 0,
    version: 5,
    type: "core.exec.stdout",
    payload: { data: text.encode("hi\n") },
  }],
  ["example D, exited 0", EXAMPLE_D_EXITED, {
    id: 1,
    flags: 1,
    version: 5,
    type: "core.exec.exited",
    payload: { code: 0 },
  }],
];

/** The body of a frame holding the envelope `{v, t, p}` written from raw hex parts. */
function body(...parts: string[]): Uint8Array {
  return hex(parts.join(" "));
}

function protocolError(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ProtocolError, `expected a ProtocolError, got ${error}`);
    assert.match(error.message, pattern);
    return true;
  };
}

for (const [name, bytes, message] of GOLDEN) {
  Deno.test(`encodeMessage + encodeFrame reproduce ${name} byte for byte`, () => {
    const frame = encodeMessage(message.id, message.type, message.payload, message.version);
    assert.equal(frame.flags, message.flags);
    assert.equal(toHex(encodeFrame(frame)), toHex(bytes));
  });

  Deno.test(`MessageDecoderStream decodes ${name} at every chunk size`, async () => {
    await atEveryChunkSize(async (size) => {
      assert.deepEqual(await replayMessages(bytes, size), [message]);
    });
  });
}

Deno.test("MessageDecoderStream decodes a whole captured session in order", async () => {
  const session = concat([
    CAPTURED_V05_CAT_REQUEST,
    CAPTURED_V05_STDIN_HI,
    CAPTURED_V05_STDIN_EOF,
    EXAMPLE_B_STDOUT,
    EXAMPLE_D_EXITED,
  ]);
  await atEveryChunkSize(async (size) => {
    const messages = await replayMessages(session, size);
    assert.deepEqual(messages.map((message) => message.type), [
      "core.exec.request",
      "core.exec.stdin",
      "core.exec.stdin",
      "core.exec.stdout",
      "core.exec.exited",
    ]);
  });
});

Deno.test("decodeMessage hands out payload bytes as views of the frame body", () => {
  const chunk = concat([EXAMPLE_B_STDOUT, CAPTURED_V05_STDIN_HI]);
  const datas: Uint8Array[] = [];
  new FrameDecoder((frame) => {
    const message = decodeMessage(frame);
    assert.ok(!message.unknown);
    if (message.type === "core.exec.stdout" || message.type === "core.exec.stdin") {
      datas.push(message.payload.data);
    }
  }).feed(chunk);
  assert.equal(datas.length, 2);
  for (const data of datas) assert.equal(data.buffer, chunk.buffer);
  assert.equal(datas[0]!.byteOffset, 42);
  assert.deepEqual(datas[1], text.encode("hi"));
});

Deno.test("decodeMessage leaves the frame body untouched", () => {
  const bodies = [
    EXAMPLE_B_STDOUT.slice(9),
    body("a3 61 70 47 a1 64 64 61 74 61 40 61 76 07 61 74 6f", ascii("core.exec.stdin")),
  ];
  for (const bytes of bodies) {
    decodeMessage({ id: 1, flags: 0, body: bytes });
    assert.deepEqual(Object.getOwnPropertyNames(bytes).filter((key) => !/^\d+$/.test(key)), []);
  }
});

Deno.test("decodeMessage passes an unknown type as an UnknownMessage", async () => {
  const payload = hex("a1 61 78 01");
  const bytes = encodeFrame({ id: 9, flags: 1, body: envelopeOf("core.exec.teleport", payload) });
  await atEveryChunkSize(async (size) => {
    const [message] = await replayMessages(bytes, size);
    assert.deepEqual(message, {
      id: 9,
      flags: 1,
      version: 7,
      type: "core.exec.teleport",
      unknown: true,
      payloadBytes: payload,
    });
  });
});

Deno.test("decodeMessage reads envelopes in any key order, with extra keys and long heads", () => {
  const cases = [
    // p, v, t
    body("a3 61 70 47 a1 64 63 6f 64 65 20 61 76 05 61 74 70", ascii("core.exec.exited")),
    // an extra key, a 1-byte head for v and t, a 2-byte head for p
    body(
      "a4 61 78 f6 61 76 18 05 61 74 78 10",
      ascii("core.exec.exited"),
      "61 70 59 00 07 a1 64 63 6f 64 65 20",
    ),
    // an indefinite-length map
    body("bf 61 76 05 61 74 70", ascii("core.exec.exited"), "61 70 47 a1 64 63 6f 64 65 20 ff"),
  ];
  for (const bytes of cases) {
    assert.deepEqual(decodeMessage({ id: 4, flags: 1, body: bytes }), {
      id: 4,
      flags: 1,
      version: 5,
      type: "core.exec.exited",
      payload: { code: -1 },
    });
  }
});

Deno.test("decodeMessage refuses a body that is not CBOR", async () => {
  for (const bad of [hex(""), hex("1c"), hex("a3 61 76"), hex("a1 61 76 05 00")]) {
    assert.throws(
      () => decodeMessage({ id: 1, flags: 0, body: bad }),
      protocolError(/^Cannot decode message on session 1: the body is not valid CBOR/),
    );
  }
  const bytes = encodeFrame({ id: 77, flags: 0, body: hex("1c") });
  await atEveryChunkSize(async (size) => {
    await assert.rejects(
      replayMessages(bytes, size),
      protocolError(/^Cannot decode message on session 77: the body is not valid CBOR/),
    );
  });
});

Deno.test("decodeMessage refuses envelopes that are not {v, t, p}", () => {
  const cases: [Uint8Array, RegExp][] = [
    [hex("82 01 02"), /^Cannot decode message on session 3: the envelope is not a map$/],
    [hex("43 01 02 03"), /the envelope is not a map/],
    [body("a2 61 76 07 61 70 40"), /^Cannot decode message on session 3: the envelope has no `t`$/],
    [body("a3 61 76 07 61 74 07 61 70 40"), /the envelope's `t` is not a text string/],
    [
      body("a2 61 74 6f", ascii("core.exec.stdin"), "61 70 40"),
      /^Cannot decode message core\.exec\.stdin on session 3: the envelope has no `v`$/,
    ],
    [
      body("a3 61 76 20 61 74 6f", ascii("core.exec.stdin"), "61 70 40"),
      /core\.exec\.stdin on session 3: the envelope's `v` is not a u8/,
    ],
    [
      body("a3 61 76 07 61 74 6f", ascii("core.exec.stdin"), "61 70 61 78"),
      /^Cannot decode message core\.exec\.stdin on session 3: the envelope's `p` is not a byte string$/,
    ],
    [
      body("a2 61 76 07 61 74 6f", ascii("core.exec.stdin")),
      /core\.exec\.stdin on session 3: the envelope's `p` is not a byte string/,
    ],
  ];
  for (const [bytes, pattern] of cases) {
    assert.throws(() => decodeMessage({ id: 3, flags: 0, body: bytes }), protocolError(pattern));
  }
});

Deno.test("decodeMessage refuses a payload that is not CBOR or not a map", () => {
  assert.throws(
    () => decodeMessage({ id: 5, flags: 0, body: envelopeOf("core.exec.stdout", hex("a1 64")) }),
    protocolError(
      /^Cannot decode message core\.exec\.stdout on session 5: the payload is not valid CBOR/,
    ),
  );
  assert.throws(
    () => decodeMessage({ id: 5, flags: 0, body: envelopeOf("core.exec.exited", hex("00")) }),
    protocolError(
      /^Cannot decode message core\.exec\.exited on session 5: the payload must be a map, got 0$/,
    ),
  );
});

Deno.test("decodeMessage names the type, the field and the session of a bad payload", () => {
  const cases: [string, string, RegExp][] = [
    [
      "core.exec.failed",
      `a1 67 ${ascii("message")} 62 ${ascii("no")}`,
      /^Cannot decode message core\.exec\.failed on session 9: missing required field `kind`$/,
    ],
    [
      "core.exec.stdout",
      "a0",
      /^Cannot decode message core\.exec\.stdout on session 9: missing required field `data`$/,
    ],
    [
      "core.exec.request",
      "a1 64 61 72 67 73 80",
      /core\.exec\.request on session 9: missing required field `cmd`$/,
    ],
    [
      "core.exec.exited",
      `a1 64 ${ascii("code")} 64 ${ascii("zero")}`,
      /core\.exec\.exited on session 9: field `code` must be an i32, got a text string$/,
    ],
    [
      "core.exec.resize",
      `a2 64 ${ascii("rows")} 1a 00 01 00 00 64 ${ascii("cols")} 01`,
      /field `rows` must be a u16, got 65536$/,
    ],
    [
      "core.exec.stdout",
      `a1 64 ${ascii("data")} 63 ${ascii("abc")}`,
      /field `data` must be a byte string, got a text string$/,
    ],
    [
      "core.exec.request",
      `a2 63 ${ascii("cmd")} 61 78 67 ${ascii("rlimits")} 81 a3 68 ${ascii("resource")} 63 ${
        ascii("cpu")
      } 64 ${ascii("soft")} 20 64 ${ascii("hard")} 01`,
      /field `rlimits\[0\]\.soft` must be a u64, got -1$/,
    ],
    [
      "core.fs.request",
      `a1 62 ${ascii("op")} a1 64 ${ascii("Nope")} a0`,
      /field `op` has an unknown FsOp variant `Nope`$/,
    ],
    [
      "core.fs.response",
      `a2 62 ${ascii("ok")} f5 64 ${ascii("data")} a1 64 ${ascii("Path")} 01`,
      /field `data\.Path` must be a text string, got 1$/,
    ],
  ];
  for (const [type, payload, pattern] of cases) {
    assert.throws(
      () => decodeMessage({ id: 9, flags: 0, body: envelopeOf(type, hex(payload)) }),
      protocolError(pattern),
      type,
    );
  }
});

Deno.test("MessageDecoderStream errors on a payload that lacks a required field", async () => {
  const bytes = encodeFrame({
    id: 12,
    flags: 1,
    body: envelopeOf("core.exec.exited", hex("a0")),
  });
  await atEveryChunkSize(async (size) => {
    await assert.rejects(
      replayMessages(concat([EXAMPLE_B_STDOUT, bytes]), size),
      protocolError(/core\.exec\.exited on session 12: missing required field `code`/),
    );
  });
});
