import assert from "node:assert/strict";
import {
  arrayOf,
  boolean,
  date,
  DecodeFailure,
  decodeJson,
  integer,
  mapped,
  number,
  object,
  oneOf,
  optional,
  recordOf,
  required,
  string,
  withDefault,
} from "../../src/wire/_json_codec.ts";

const MEMBER = object({
  id: required(string),
  joinedAt: required(date),
  role: required(oneOf(["owner", "admin"])),
  displayName: optional(string),
  seats: withDefault(integer, () => 1),
  score: optional(number),
  active: optional(boolean),
  tags: optional(recordOf(string)),
});
const PAGE = object({ members: required(arrayOf(MEMBER), "data") });

const OK = { id: "m1", joined_at: "2026-01-02T03:04:05Z", role: "admin" };

function failure(message: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof DecodeFailure, String(error));
    assert.equal(error.message, message);
    return true;
  };
}

Deno.test("decodeJson reads a table of fields: snake_case wire names, dates, defaults", () => {
  const member = decodeJson(
    MEMBER,
    { ...OK, display_name: null, unknown: 1, tags: { a: "b" } },
    "m",
  );
  assert.deepEqual(member, {
    id: "m1",
    joinedAt: new Date("2026-01-02T03:04:05Z"),
    role: "admin",
    displayName: undefined,
    seats: 1,
    score: undefined,
    active: undefined,
    tags: { a: "b" },
  });
  assert.ok(member.joinedAt instanceof Date);
  const page = decodeJson(PAGE, { data: [OK, { ...OK, seats: 3, score: 1.5, active: true }] }, "p");
  assert.equal(page.members[1]?.seats, 3);
  assert.equal(page.members[1]?.score, 1.5);
});

Deno.test("decodeJson names the JSON path of the bad field in every failure", () => {
  const cases: [unknown, string][] = [
    [[], "page is not an object"],
    [null, "page is not an object"],
    [{}, "missing field `data`"],
    [{ data: {} }, "`data` is not an array"],
    [{ data: [OK, "x"] }, "`data[1]` is not an object"],
    [{ data: [OK, OK, OK, { ...OK, id: undefined }] }, "missing field `data[3].id`"],
    [{ data: [{ ...OK, id: null }] }, "`data[0].id` is not a string"],
    [{ data: [{ ...OK, joined_at: "yesterday" }] }, "`data[0].joined_at` is not a date"],
    [{ data: [{ ...OK, joined_at: 5 }] }, "`data[0].joined_at` is not a date"],
    [{ data: [{ ...OK, role: "root" }] }, "`data[0].role` is not one of owner, admin"],
    [{ data: [{ ...OK, seats: 1.5 }] }, "`data[0].seats` is not an integer"],
    [{ data: [{ ...OK, score: "1" }] }, "`data[0].score` is not a number"],
    [{ data: [{ ...OK, active: "yes" }] }, "`data[0].active` is not a boolean"],
    [{ data: [{ ...OK, tags: [] }] }, "`data[0].tags` is not an object"],
  ];
  for (const [body, message] of cases) {
    assert.throws(() => decodeJson(PAGE, body, "page"), failure(message));
  }
});

Deno.test("decodeJson never names a key or a value of the body", () => {
  const secret = "msb_live_secret";
  assert.throws(
    () => decodeJson(PAGE, { data: [{ ...OK, tags: { [secret]: 1 } }] }, "page"),
    failure("`data[0].tags` holds a value that is not a string"),
  );
  assert.throws(
    () => decodeJson(PAGE, { data: [{ ...OK, role: secret }] }, "page"),
    (error: Error) => !error.message.includes(secret),
  );
});

Deno.test("mapped converts what its codec decoded, and its failures keep their path", () => {
  const upper = object({ name: required(mapped(string, (text) => text.toUpperCase())) });
  assert.deepEqual(decodeJson(upper, { name: "a" }, "x"), { name: "A" });
  assert.throws(() => decodeJson(upper, { name: 1 }, "x"), failure("`name` is not a string"));
});

Deno.test("decodeJson passes on errors that are not decode failures", () => {
  const boom = object({
    a: required(mapped(string, () => {
      throw new RangeError("boom");
    })),
  });
  assert.throws(() => decodeJson(boom, { a: "x" }, "x"), RangeError);
});
