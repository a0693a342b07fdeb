// LogCursor.parse against a reference built on atob/btoa. The rule the module documents: the
// empty string is the empty cursor; anything else must be standard base64 with its padding and
// zero trailing bits (the one canonical encoding of its bytes, so that btoa(atob(text)) gives the
// text back), of one count byte followed by that many 16-byte positions. Random texts (mostly of
// base64 characters, and valid cursors with one character changed, added or removed) are accepted
// exactly when the reference accepts them, decode to the reference's positions and give their
// text back; everything else throws InvalidCursorError and nothing else. Random positions write a
// cursor that the reference reads back.
import assert from "node:assert/strict";
import fc from "fast-check";
import { InvalidCursorError } from "../../src/errors.ts";
import { LogCursor, type LogPosition } from "../../src/logs/log_cursor.ts";
import { fuzz } from "./_fuzz.ts";

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const CANONICAL = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The positions the reference reads from `text`, or `undefined` when it is not a cursor. */
function reference(text: string): LogPosition[] | undefined {
  if (text === "") return [];
  if (!CANONICAL.test(text) || btoa(atob(text)) !== text) return undefined;
  const bytes = Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  if (bytes.length === 0 || bytes.length !== 1 + 16 * bytes[0]!) return undefined;
  const view = new DataView(bytes.buffer);
  return Array.from({ length: bytes[0]! }, (_, i) => ({
    generation: view.getBigUint64(1 + 16 * i, true),
    offset: view.getBigUint64(9 + 16 * i, true),
  }));
}

/** The reference's text of `positions`. */
function write(positions: readonly LogPosition[]): string {
  const bytes = new Uint8Array(1 + 16 * positions.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = positions.length;
  positions.forEach(({ generation, offset }, i) => {
    view.setBigUint64(1 + 16 * i, generation, true);
    view.setBigUint64(9 + 16 * i, offset, true);
  });
  return btoa(String.fromCharCode(...bytes));
}

const u64 = fc.oneof(
  fc.bigInt({ min: 0n, max: 300n }),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.constantFrom(2n ** 32n - 1n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n),
);
const position: fc.Arbitrary<LogPosition> = fc.tuple(u64, u64)
  .map(([generation, offset]) => ({ generation, offset }));
const positions: fc.Arbitrary<LogPosition[]> = fc.oneof(
  { arbitrary: fc.array(position, { maxLength: 3 }), weight: 50 },
  { arbitrary: fc.array(position, { minLength: 255, maxLength: 255 }), weight: 1 },
);

/** A valid cursor's text with one character replaced, inserted or removed. */
const nearCursor: fc.Arbitrary<string> = fc.record({
  text: positions.map(write),
  at: fc.nat(),
  edit: fc.constantFrom("replace", "insert", "remove"),
  char: fc.constantFrom(...BASE64, "=", "-", "_", " ", "\n", "é", "\0"),
}).map(({ text, at, edit, char }) => {
  const i = at % (text.length + 1);
  if (edit === "insert") return text.slice(0, i) + char + text.slice(i);
  if (edit === "remove") return text.slice(0, i) + text.slice(i + 1);
  return text.slice(0, i) + char + text.slice(i + 1);
});

/** Texts of base64 characters and a few others, of any length. */
const anyText: fc.Arbitrary<string> = fc.array(
  fc.oneof(
    { arbitrary: fc.constantFrom(...BASE64), weight: 20 },
    {
      arbitrary: fc.constantFrom("=", "==", "AA==", "AQ", "-", "_", " ", "é", "\uFEFF"),
      weight: 3,
    },
    { arbitrary: fc.string({ maxLength: 2, unit: "binary" }), weight: 1 },
  ),
  { maxLength: 30 },
).map((parts) => parts.join(""));

/** Whether `error` is the typed error of a malformed cursor. */
function isCursorError(error: unknown): boolean {
  return error instanceof InvalidCursorError && error.kind === "InvalidCursor";
}

Deno.test("LogCursor.parse accepts exactly the canonical cursors and throws InvalidCursorError", async () => {
  await fuzz(
    "LogCursor.parse vs atob/btoa",
    fc.property(fc.oneof(anyText, nearCursor), (text) => {
      const expected = reference(text);
      let cursor: LogCursor;
      try {
        cursor = LogCursor.parse(text);
      } catch (error) {
        assert.ok(isCursorError(error), String(error));
        assert.equal(expected, undefined, `refused ${JSON.stringify(text)}: ${error}`);
        return;
      }
      assert.notEqual(expected, undefined, `accepted ${JSON.stringify(text)}`);
      assert.deepEqual(cursor.positions, expected);
      assert.equal(cursor.toString(), text === "" ? "AA==" : text);
      assert.equal(cursor.isEmpty(), expected!.length === 0);
      assert.equal(new LogCursor(cursor.positions).toString(), cursor.toString());
    }),
  );
});

Deno.test("LogCursor writes random positions as the canonical cursor and reads them back", async () => {
  await fuzz(
    "LogCursor round trip",
    fc.property(positions, (list) => {
      const cursor = new LogCursor(list);
      const text = cursor.toString();
      assert.equal(text, write(list));
      const parsed = LogCursor.parse(text);
      assert.deepEqual(parsed.positions, list);
      assert.equal(parsed.toString(), text);
      assert.equal(parsed.isEmpty(), list.length === 0);
    }),
  );
});
