import assert from "node:assert/strict";
import { InvalidCursorError } from "../../src/errors.ts";
import { LogCursor } from "../../src/logs/log_cursor.ts";

Deno.test("LogCursor reads the captured cursors and writes them back", () => {
  // From captured-wire.md: one position, count byte 1, generation 1..3 in the first byte.
  for (
    const text of [
      "AQEAAAAAAAAAAAAAAAAAAAA=",
      "AQIAAAAAAAAAAAAAAAAAAAA=",
      "AQMAAAAAAAAAAAAAAAAAAAA=",
    ]
  ) {
    const cursor = LogCursor.parse(text);
    assert.equal(cursor.positions.length, 1);
    assert.equal(cursor.toString(), text);
  }
  assert.deepEqual(LogCursor.parse("AQEAAAAAAAAAAAAAAAAAAAA=").positions, [{
    generation: 1n,
    offset: 0n,
  }]);
});

Deno.test("LogCursor round-trips positions up to u64 and treats empty as the empty cursor", () => {
  const max = (1n << 64n) - 1n;
  const cursor = new LogCursor([{ generation: max, offset: 7n }, { generation: 0n, offset: max }]);
  assert.deepEqual(LogCursor.parse(cursor.toString()).positions, cursor.positions);
  assert.equal(LogCursor.EMPTY.toString(), "AA==");
  assert.ok(LogCursor.parse("").isEmpty());
  assert.ok(LogCursor.parse("AA==").isEmpty());
  assert.ok(!LogCursor.parse("AQEAAAAAAAAAAAAAAAAAAAA=").isEmpty());
  assert.ok(!cursor.isEmpty());
});

Deno.test("LogCursor refuses malformed text with InvalidCursorError", () => {
  const cases: [string, RegExp][] = [
    ["not base64!", /standard base64/],
    ["AA", /standard base64/],
    ["AB==", /trailing bits/],
    ["AQ==", /unexpected length 1/],
    ["AAA=", /unexpected length 2/],
    ["A=AA", /standard base64/],
    ["AQEAAAAAAAAAAAAAAAAAAA\u00e9=", /standard base64/],
    [btoa("\x02" + "\0".repeat(16)), /unexpected length 17/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => LogCursor.parse(text),
      (error: unknown) =>
        error instanceof InvalidCursorError && error.kind === "InvalidCursor" &&
        message.test(error.message),
      text,
    );
  }
  assert.throws(() => new LogCursor([{ generation: -1n, offset: 0n }]), InvalidCursorError);
  assert.throws(
    () => new LogCursor(Array(256).fill({ generation: 0n, offset: 0n })),
    InvalidCursorError,
  );
});
