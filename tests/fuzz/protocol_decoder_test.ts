// The frame and message decoders on valid frame streams of every message type (built with our
// encoder from tests/protocol/_samples.ts, with random ids, versions and data) and on mutations
// of them: bit flips, inserted and deleted bytes, truncation, rewritten length prefixes, frames of
// random CBOR, two streams spliced, all cut at random points.
//
// A valid stream decodes to exactly the messages encoded. Any stream decodes, through
// FrameDecoderStream and MessageDecoderStream, to messages and at most one error, a
// ProtocolError, the same as the push parser (FrameDecoder and decodeMessage) gives; every
// message it yields re-encodes to a stable form; the parser never holds more bytes than it was
// fed, nor a whole frame above its `maxFrameSize` (a huge length prefix is refused before any of
// the body is kept); and no input changes state shared across decodes (cbor-x's break marker,
// Object.prototype, the envelope reader's cache of the last type). A hang would show as a test
// that never ends: every input is finite and fed whole before the streams close.
import assert from "node:assert/strict";
import { Decoder } from "cbor-x/decode";
import fc from "fast-check";
import { ProtocolError } from "../../src/errors.ts";
import {
  type DecodedMessage,
  decodeMessage,
  encodeFrame,
  encodeMessage,
  flagsOf,
  FrameDecoder,
  FrameDecoderStream,
  MAX_FRAME_SIZE,
  type Message,
  MESSAGE_TYPES,
  MessageDecoderStream,
  type MessageType,
} from "../../src/protocol/mod.ts";
import { concat, envelopeOf, hex } from "../protocol/_replay.ts";
import { SAMPLES } from "../protocol/_samples.ts";
import { applyCuts, cuts } from "./_chunking.ts";
import { fuzz } from "./_fuzz.ts";

/** The message types whose payload is one `data` byte string. */
const DATA_TYPES = new Set<MessageType>([
  "core.exec.stdin",
  "core.exec.stdout",
  "core.exec.stderr",
  "core.fs.data",
  "core.tcp.data",
]);

/** A message of any type: a sample payload (random bytes for `data`), id and version. */
const message: fc.Arbitrary<Message> = fc.record({
  type: fc.constantFrom(...MESSAGE_TYPES),
  pick: fc.nat(),
  id: fc.oneof(fc.nat(3), fc.integer({ min: 0, max: 0xffff_ffff })),
  version: fc.oneof(fc.constantFrom(5, 7), fc.integer({ min: 0, max: 255 })),
  data: fc.uint8Array({ maxLength: 40 }),
}).map(({ type, pick, id, version, data }) => {
  const samples = SAMPLES[type];
  const payload = DATA_TYPES.has(type) ? { data } : samples[pick % samples.length]!;
  return { id, flags: flagsOf(type), version, type, payload } as Message;
});

/** The bytes of `messages` as frames, one buffer. */
function encodeAll(messages: readonly Message[]): Uint8Array {
  return concat(
    messages.map((m) => encodeFrame(encodeMessage(m.id, m.type, m.payload, m.version))),
  );
}

/** CBOR heads and items chosen to reach every branch of `plainCbor` and cbor-x's extensions. */
const CBOR_PIECES: Uint8Array[] = [
  "ff",
  "9f",
  "bf",
  "80",
  "a0",
  "a1",
  "81",
  "82",
  "f4",
  "f5",
  "f6",
  "f7",
  "f0",
  "f8 14",
  "f9 7c 00",
  "fb 3f f0 00 00 00 00 00 00",
  "c1",
  "d8 40",
  "d8 1c",
  "d8 1d",
  "d9 df fe",
  "d9 d9 f7",
  "da 00 00 e0 00",
  "18 ff",
  "19 ff ff",
  "1a ff ff ff ff",
  "1b ff ff ff ff ff ff ff ff",
  "3b ff ff ff ff ff ff ff ff",
  "1c",
  "1f",
  "3f",
  "5f",
  "7f",
  "20",
  "00",
  "17",
  "40",
  "41 00",
  "60",
  "61 61",
  "64 64 61 74 61", // "data"
  "64 63 6f 64 65", // "code"
  "62 6f 70", // "op"
  "64 53 74 61 74", // "Stat"
  "69 5f 5f 70 72 6f 74 6f 5f 5f", // "__proto__"
].map(hex);

/** A random run of CBOR pieces and bytes. */
const randomCbor: fc.Arbitrary<Uint8Array> = fc.array(
  fc.oneof(fc.constantFrom(...CBOR_PIECES), fc.uint8Array({ minLength: 1, maxLength: 3 })),
  { maxLength: 12 },
).map(concat);

/** A frame whose body or payload is random CBOR. */
const cborFrame: fc.Arbitrary<Uint8Array> = fc.record({
  type: fc.constantFrom<string>(...MESSAGE_TYPES, "core.future"),
  cbor: randomCbor,
  whole: fc.boolean(),
  flags: fc.nat(255),
}).map(({ type, cbor, whole, flags }) =>
  encodeFrame({ id: 1, flags, body: whole ? cbor : envelopeOf(type, cbor) })
);

/** Length prefixes worth trying: below the header, around the limits, huge. */
const LENGTHS = [0, 1, 4, 5, 6, 255, 0x1_0000, MAX_FRAME_SIZE, MAX_FRAME_SIZE + 1, 0xffff_ffff];

type Mutation =
  | { flip: number; bit: number }
  | { insert: number; bytes: Uint8Array }
  | { remove: number; count: number }
  | { truncate: number }
  | { length: number; value: number }
  | { frame: number; bytes: Uint8Array }
  | { splice: number; from: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ flip: fc.nat(), bit: fc.nat(7) }),
  fc.record({ insert: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
  fc.record({ remove: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ truncate: fc.nat() }),
  fc.record({
    length: fc.nat(),
    value: fc.oneof(fc.constantFrom(...LENGTHS), fc.integer({ min: 0, max: 0xffff_ffff })),
  }),
  fc.record({ frame: fc.nat(), bytes: cborFrame }),
  fc.record({ splice: fc.nat(), from: fc.nat() }),
);

/** `bytes` after `change`; `other` is the stream a splice continues with. */
function mutate(bytes: Uint8Array, change: Mutation, other: Uint8Array): Uint8Array {
  const at = (n: number) => n % (bytes.length + 1);
  if ("flip" in change) {
    if (bytes.length === 0) return bytes;
    const copy = bytes.slice();
    copy[change.flip % copy.length]! ^= 1 << change.bit;
    return copy;
  }
  if ("insert" in change) {
    const i = at(change.insert);
    return concat([bytes.subarray(0, i), change.bytes, bytes.subarray(i)]);
  }
  if ("remove" in change) {
    const i = at(change.remove);
    return concat([bytes.subarray(0, i), bytes.subarray(i + change.count)]);
  }
  if ("truncate" in change) return bytes.slice(0, at(change.truncate));
  if ("length" in change) {
    const copy = bytes.slice();
    const i = copy.length < 4 ? 0 : change.length % (copy.length - 3);
    const prefix = new Uint8Array(4);
    new DataView(prefix.buffer).setUint32(0, change.value);
    copy.set(prefix.subarray(0, copy.length - i), i);
    return copy;
  }
  if ("frame" in change) {
    const i = at(change.frame);
    return concat([bytes.subarray(0, i), change.bytes, bytes.subarray(i)]);
  }
  return concat([
    bytes.subarray(0, at(change.splice)),
    other.subarray(change.from % (other.length + 1)),
  ]);
}

/** What decoding gave: the messages in order, then the error that stopped it, if any. */
interface Outcome {
  messages: DecodedMessage[];
  error: unknown;
}

/**
 * Decodes `chunks` with the push parsers, checking after every feed that the bytes held stay
 * within what was fed and below one frame of `maxFrameSize`.
 */
function decodeByParser(chunks: Uint8Array[], maxFrameSize: number): Outcome {
  const messages: DecodedMessage[] = [];
  const decoder = new FrameDecoder((frame) => messages.push(decodeMessage(frame)), {
    maxFrameSize,
  });
  let fed = 0;
  try {
    for (const chunk of chunks) {
      fed += chunk.length;
      try {
        decoder.feed(chunk);
      } finally {
        assert.ok(decoder.pending <= fed, `holds ${decoder.pending} bytes of ${fed} fed`);
        assert.ok(decoder.pending < 4 + maxFrameSize, `holds ${decoder.pending} bytes`);
      }
    }
    decoder.end();
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return { messages, error };
  }
  return { messages, error: undefined };
}

/** Decodes `chunks` through FrameDecoderStream and MessageDecoderStream. */
async function decodeByStreams(chunks: Uint8Array[], maxFrameSize: number): Promise<Outcome> {
  const reader = ReadableStream.from(chunks)
    .pipeThrough(new FrameDecoderStream({ maxFrameSize }))
    .pipeThrough(new MessageDecoderStream())
    .getReader();
  const messages: DecodedMessage[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { messages, error: undefined };
      messages.push(value);
    }
  } catch (error) {
    return { messages, error };
  }
}

/** Re-encodes a decoded known message; a second round must give the same bytes. */
function assertStable(message: DecodedMessage): void {
  if (message.unknown) return;
  const { id, type, payload, version } = message;
  const once = encodeMessage(id, type, payload, version);
  const again = decodeMessage(once);
  assert.ok(!again.unknown);
  assert.equal(again.flags, flagsOf(type));
  const twice = encodeMessage(again.id, again.type, again.payload, again.version);
  assert.deepEqual(twice, once);
}

/** cbor-x's break marker: the object its decoder hands out for a bare `ff`. */
const breakMarker: object = new Decoder({ useRecords: false }).decode(Uint8Array.of(0xff));
const prototypeKeys = Reflect.ownKeys(Object.prototype);
/** A frame decoded after every case, to catch a change in the decoders' shared state. */
const reference = encodeMessage(9, "core.exec.request", SAMPLES["core.exec.request"][0]!);
const referenceMessage = decodeMessage(reference);

function assertSharedStateUntouched(): void {
  assert.deepEqual(Reflect.ownKeys(breakMarker), []);
  assert.deepEqual(Reflect.ownKeys(Object.prototype), prototypeKeys);
  assert.deepEqual(decodeMessage(reference), referenceMessage);
}

Deno.test("FrameDecoderStream and MessageDecoderStream decode valid streams of every type exactly", async () => {
  await fuzz(
    "valid frame streams",
    fc.asyncProperty(fc.array(message, { maxLength: 6 }), cuts(), async (messages, where) => {
      const chunks = applyCuts(encodeAll(messages), where);
      const outcome = await decodeByStreams(chunks, MAX_FRAME_SIZE);
      assert.deepEqual(outcome, { messages, error: undefined });
    }),
  );
});

Deno.test("The frame and message decoders give messages or a ProtocolError on mutated streams", async () => {
  await fuzz(
    "mutated frame streams",
    fc.asyncProperty(
      fc.array(message, { maxLength: 4 }),
      fc.array(message, { maxLength: 2 }),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      fc.option(fc.integer({ min: 5, max: 200 }), { nil: MAX_FRAME_SIZE }),
      cuts(),
      async (first, second, changes, maxFrameSize, where) => {
        const other = encodeAll(second);
        const bytes = changes.reduce(
          (bytes, change) => mutate(bytes, change, other),
          encodeAll(first),
        );
        const chunks = applyCuts(bytes, where);
        const parsed = decodeByParser(chunks, maxFrameSize);
        if (parsed.error !== undefined) {
          assert.ok(parsed.error instanceof ProtocolError, String(parsed.error));
        }
        parsed.messages.forEach(assertStable);
        assertSharedStateUntouched();
        assert.deepEqual(await decodeByStreams(chunks, maxFrameSize), parsed);
      },
    ),
  );
});
