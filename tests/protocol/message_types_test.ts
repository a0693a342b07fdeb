import assert from "node:assert/strict";
import {
  FLAG_SESSION_START,
  FLAG_SHUTDOWN,
  FLAG_TERMINAL,
  flagsOf,
  generationOf,
  isMessageType,
  MESSAGE_TYPES,
  type MessageType,
  PROTOCOL_VERSION,
  SEED_PROTOCOL_VERSION,
} from "../../src/protocol/mod.ts";

// The `message_types` of the protocol's gen-7 schema (reference/protocol-gen-7.json), in order.
const GEN_7: [string, number][] = [
  ["core.ready", 1],
  ["core.init.resolved", 1],
  ["core.init.ack", 1],
  ["core.shutdown", 1],
  ["core.relay.client.disconnected", 1],
  ["core.clock.sync", 1],
  ["core.ping", 6],
  ["core.pong", 6],
  ["core.touch", 6],
  ["core.touched", 6],
  ["core.error", 5],
  ["core.exec.request", 1],
  ["core.exec.started", 1],
  ["core.exec.stdin", 1],
  ["core.exec.stdin.error", 1],
  ["core.exec.stdout", 1],
  ["core.exec.stderr", 1],
  ["core.exec.exited", 1],
  ["core.exec.failed", 1],
  ["core.exec.resize", 1],
  ["core.exec.signal", 1],
  ["core.fs.request", 2],
  ["core.fs.response", 2],
  ["core.fs.data", 2],
  ["core.tcp.connect", 4],
  ["core.tcp.connected", 4],
  ["core.tcp.data", 4],
  ["core.tcp.eof", 4],
  ["core.tcp.close", 4],
  ["core.tcp.closed", 4],
  ["core.tcp.failed", 4],
  ["core.bootstrap", 7],
];

Deno.test("MESSAGE_TYPES and generationOf match the gen-7 schema", () => {
  assert.deepEqual(MESSAGE_TYPES.map((type) => [type, generationOf(type)]), GEN_7);
  assert.equal(PROTOCOL_VERSION, 7);
  assert.equal(SEED_PROTOCOL_VERSION, 5);
});

Deno.test("The seed's generation 5 knows 27 types", () => {
  const seed = MESSAGE_TYPES.filter((type) => generationOf(type) <= SEED_PROTOCOL_VERSION);
  assert.equal(seed.length, 27);
  assert.ok(!seed.includes("core.ping"));
  assert.ok(seed.includes("core.error"));
});

Deno.test("flagsOf follows protocol.md §5.4", () => {
  const terminal = [
    "core.error",
    "core.exec.exited",
    "core.exec.failed",
    "core.fs.response",
    "core.tcp.closed",
    "core.tcp.failed",
    "core.pong",
    "core.touched",
  ];
  const sessionStart = ["core.exec.request", "core.fs.request", "core.tcp.connect"];
  for (const type of MESSAGE_TYPES) {
    const expected = terminal.includes(type)
      ? FLAG_TERMINAL
      : sessionStart.includes(type)
      ? FLAG_SESSION_START
      : type === "core.shutdown"
      ? FLAG_SHUTDOWN
      : 0;
    assert.equal(flagsOf(type), expected, type);
  }
});

Deno.test("isMessageType knows exactly the table's types", () => {
  for (const type of MESSAGE_TYPES) assert.ok(isMessageType(type));
  for (const type of ["", "core", "core.exec", "CORE.EXEC.STDOUT", "toString", "__proto__"]) {
    assert.equal(isMessageType(type), false, type);
  }
  assert.throws(() => flagsOf("core.nope" as MessageType), TypeError);
});
