// WsDecoderStream on random valid server streams (text and binary messages, fragmented at random
// points, UTF-8 cut inside code points, pings and pongs between fragments, 7- and 16-bit
// lengths, an optional close frame at the end), cut at random points, and on mutations of them.
//
// A valid stream decodes to exactly the events the generator wrote down. Any input ends in a
// list of events or a ProtocolError and nothing else (no RangeError, no TypeError), and never a
// message above the bounds.
import assert from "node:assert/strict";
import fc from "fast-check";
import { ProtocolError } from "../../src/errors.ts";
import type { WsEvent } from "../../src/ws/_message_assembler.ts";
import { WsDecoderStream } from "../../src/ws/_ws_decoder_stream.ts";
import { closeBody, concat, type RawFrame, rawFrame } from "../ws/_frames.ts";
import { applyCuts, cuts } from "./_chunking.ts";
import { fuzz } from "./_fuzz.ts";
import { mutate, mutation } from "./_mutation.ts";

const limits = { maxFrameSize: 4096, maxMessageSize: 8192 };

/** A generated stream: its frames and the events they mean. */
interface Case {
  frames: RawFrame[];
  expected: WsEvent[];
}

const control = fc.record({
  opcode: fc.constantFrom(9, 10),
  payload: fc.uint8Array({ maxLength: 125 }),
});

/** `bytes` cut at `points` (reduced modulo its length), at least one part, empty ones kept. */
function split(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const cutsAt = [...new Set(points.map((point) => point % (bytes.length + 1)))].sort((a, b) =>
    a - b
  );
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const point of [...cutsAt, bytes.length]) {
    if (point < from) continue;
    parts.push(bytes.subarray(from, point));
    from = point;
  }
  return parts.length === 0 ? [bytes] : parts;
}

const message = fc.record({
  data: fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 300 }),
    fc.uint8Array({ maxLength: 4000 }),
  ),
  points: fc.array(fc.nat(), { maxLength: 4 }),
  controls: fc.array(fc.tuple(fc.nat(), control), { maxLength: 2 }),
});

const streamCase: fc.Arbitrary<Case> = fc.record({
  messages: fc.array(message, { maxLength: 5 }),
  close: fc.option(
    fc.record({
      code: fc.constantFrom(1000, 1001, 1011, 3000, 4999),
      reason: fc.string({ maxLength: 40 }),
    }),
    { nil: undefined },
  ),
}).map(({ messages, close }) => {
  const frames: RawFrame[] = [];
  const expected: WsEvent[] = [];
  for (const { data, points, controls } of messages) {
    const text = typeof data === "string";
    const bytes = text ? new TextEncoder().encode(data) : data;
    const parts = split(bytes, points);
    const between: WsEvent[] = [];
    parts.forEach((part, index) => {
      const frame: RawFrame = {
        opcode: index === 0 ? (text ? 1 : 2) : 0,
        fin: index === parts.length - 1,
        payload: part,
      };
      frames.push(frame);
      for (const [at, ping] of controls) {
        if (at % parts.length !== index || index === parts.length - 1) continue;
        frames.push(ping);
        between.push({ type: ping.opcode === 9 ? "ping" : "pong", data: ping.payload });
      }
    });
    expected.push(...between, text ? { type: "text", data } : { type: "binary", data: bytes });
  }
  if (close !== undefined) {
    const reason = new TextDecoder().decode(
      new TextEncoder().encode(close.reason).subarray(0, 123),
    );
    const body = closeBody(close.code, reason);
    frames.push({ opcode: 8, payload: body });
    expected.push({
      type: "close",
      code: close.code,
      reason: new TextDecoder().decode(body.subarray(2)),
    });
  }
  return { frames, expected };
});

/** The event with its bytes copied out of the chunk they were a view of. */
function copied(event: WsEvent): WsEvent {
  if (event.type === "binary" || event.type === "ping" || event.type === "pong") {
    return { ...event, data: event.data.slice() };
  }
  return event;
}

/** The events of `chunks`, payloads copied, or the error the stream failed with. */
async function decode(chunks: Uint8Array[]): Promise<{ events: WsEvent[]; error?: unknown }> {
  const events: WsEvent[] = [];
  try {
    const stream = ReadableStream.from(chunks).pipeThrough(new WsDecoderStream(limits));
    for await (const event of stream) {
      events.push(copied(event));
    }
    return { events };
  } catch (error) {
    return { events, error };
  }
}

Deno.test("WsDecoderStream decodes random valid streams cut at random points", async () => {
  await fuzz(
    "WebSocket decoder on valid streams",
    fc.asyncProperty(streamCase, cuts(), async ({ frames, expected }, where) => {
      const got = await decode(applyCuts(concat(frames.map(rawFrame)), where));
      assert.equal(got.error, undefined, String(got.error));
      assert.deepEqual(got.events, expected);
    }),
  );
});

Deno.test("WsDecoderStream ends mutated streams in events or a ProtocolError", async () => {
  await fuzz(
    "WebSocket decoder on mutated streams",
    fc.asyncProperty(
      streamCase,
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      cuts(),
      async ({ frames }, changes, where) => {
        const got = await decode(applyCuts(mutate(concat(frames.map(rawFrame)), changes), where));
        if (got.error !== undefined) {
          assert.ok(got.error instanceof ProtocolError, `the decoder threw ${got.error}`);
        }
        for (const event of got.events) {
          const size = event.type === "text"
            ? new TextEncoder().encode(event.data).length
            : event.type === "close"
            ? 0
            : event.data.length;
          assert.ok(size <= limits.maxMessageSize);
        }
      },
    ),
  );
});
