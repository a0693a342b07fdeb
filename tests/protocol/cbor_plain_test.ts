// decodeMessage reads payloads into plain values only: a bare break byte, or anything cbor-x
// would turn into one of its internal values, is a ProtocolError, tags are skipped as ciborium
// skips them, and no frame changes what later frames decode to.
import assert from "node:assert/strict";
import { Decoder } from "cbor-x/decode";
import { ProtocolError } from "../../src/errors.ts";
import { decodeMessage } from "../../src/protocol/mod.ts";
import { ascii, envelopeOf, hex } from "./_replay.ts";

/** Decodes `payload` (hex) as the payload of a known `type` message on session 6. */
function decode(type: string, payload: string): unknown {
  const message = decodeMessage({ id: 6, flags: 0, body: envelopeOf(type, hex(payload)) });
  if ("unknown" in message) throw new Error(`${type} is not a known type`);
  return message.payload;
}

/** Whether decoding threw a ProtocolError whose message matches `pattern`. */
function protocolError(pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ProtocolError, String(error));
    assert.match(error.message, pattern);
    return true;
  };
}

/** cbor-x's own break marker, as its decoder hands it out for a bare `ff`. */
function breakMarker(): object {
  return new Decoder({ useRecords: false }).decode(Uint8Array.of(0xff));
}

Deno.test("decodeMessage refuses a bare break byte, wherever no indefinite container ends", () => {
  const cases: [string, string, string][] = [
    ["core.bootstrap", "ff", "a break byte (ff) at byte 0 ends no indefinite-length array or map"],
    ["core.tcp.connected", "ff", "a break byte (ff) at byte 0"],
    ["core.bootstrap", `a1 61 ${ascii("a")} ff`, "a break byte (ff) at byte 3"],
    ["core.bootstrap", `bf 61 ${ascii("a")} ff`, "a break byte (ff) at byte 3"],
    ["core.bootstrap", `a1 61 ${ascii("a")} 82 ff ff`, "a break byte (ff) at byte 4"],
  ];
  for (const [type, payload, problem] of cases) {
    assert.throws(
      () => decode(type, payload),
      protocolError(
        new RegExp(
          `^Cannot decode message ${type.replaceAll(".", "\\.")} on session 6: ` +
            `the payload is not valid CBOR \\(${problem.replace(/[()]/g, "\\$&")}`,
        ),
      ),
      `${type} ${payload}`,
    );
  }
  assert.throws(
    () => decodeMessage({ id: 2, flags: 0, body: hex("ff") }),
    protocolError(/^Cannot decode message on session 2: the body is not valid CBOR \(a break/),
  );
});

Deno.test("decodeMessage leaves cbor-x's shared break marker untouched by a record tag", () => {
  // A cbor-x record definition (tag 0xdffe) whose structure is a bare break byte: cbor-x writes
  // a reader onto its shared marker object, then hands that object out for every later `ff`.
  const crafted = "d9 df fe 83 19 e0 00 ff 00";
  const before = Object.keys(breakMarker());
  assert.throws(() => decode("core.bootstrap", crafted), ProtocolError);
  assert.throws(() => decode("core.bootstrap", `a1 61 61 ${crafted}`), ProtocolError);
  assert.deepEqual(Object.keys(breakMarker()), before);
  assert.deepEqual(before, []);
});

Deno.test("decodeMessage skips tags as ciborium does, so none reaches cbor-x", () => {
  // tag 64 (a typed Uint8Array) on the data, tag 55799 (self-described CBOR) on the payload
  const stdout = decode("core.exec.stdout", `d9 d9 f7 a1 64 ${ascii("data")} d8 40 43 68 69 0a`);
  assert.deepEqual(stdout, { data: new TextEncoder().encode("hi\n") });
  // tag 1 (an epoch date) on an integer: cbor-x would build a Date
  const exited = decode("core.exec.exited", `a1 64 ${ascii("code")} c1 03`);
  assert.deepEqual(exited, { code: 3 });
  // a record definition (tag 0xdffe) and a shared reference (tag 28): plain values after all
  const bootstrap = decode(
    "core.bootstrap",
    `a1 61 ${ascii("a")} d9 df fe 83 19 e0 00 a0 d8 1c 81 01`,
  );
  assert.deepEqual(bootstrap, { a: [0xe000, {}, [1]] });
});

Deno.test("decodeMessage keeps reading indefinite-length arrays and maps", () => {
  const exited = decode("core.exec.exited", `bf 64 ${ascii("code")} 03 ff`);
  assert.deepEqual(exited, { code: 3 });
  const bootstrap = decode("core.bootstrap", `bf 61 ${ascii("a")} 9f 01 9f ff ff ff`);
  assert.deepEqual(bootstrap, { a: [1, []] });
});

Deno.test("decodeMessage refuses CBOR that cbor-x would read into values of its own", () => {
  const cases: [string, RegExp][] = [
    ["f0", /byte 0 is an unassigned simple value/],
    ["f8 14", /byte 0 is an unassigned simple value/],
    [`a1 61 ${ascii("a")} 7f 61 62 ff`, /byte 3 \(7f\) is not a CBOR head this decoder reads/],
    ["1f", /byte 0 \(1f\) is not a CBOR head this decoder reads/],
    ["dc 00", /byte 0 \(dc\) is not a CBOR head/],
    ["a0 00", /bytes follow the CBOR item at byte 1/],
    ["a1 61", /the CBOR item is cut short/],
    ["c1", /the CBOR item is cut short/],
    ["81".repeat(257) + "00", /arrays and maps nest deeper than 256/],
  ];
  for (const [payload, pattern] of cases) {
    assert.throws(
      () => decode("core.bootstrap", payload),
      protocolError(
        new RegExp(
          "^Cannot decode message core\\.bootstrap on session 6: the payload is not valid CBOR \\(" +
            pattern.source,
        ),
      ),
      payload,
    );
  }
  const deep = decode("core.bootstrap", `a1 61 ${ascii("a")} ${"81".repeat(255)} 00`);
  assert.equal(JSON.stringify(deep), `{"a":${"[".repeat(255)}0${"]".repeat(255)}}`);
});
