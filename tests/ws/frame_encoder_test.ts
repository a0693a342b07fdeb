// encodeFrame writes client frames as RFC 6455 §5.2 and §5.3 ask: FIN set, masked with a fresh
// key, the length in its shortest form at each boundary of the three encodings.
import assert from "node:assert/strict";
import { encodeFrame } from "../../src/ws/_frame_encoder.ts";
import { readClientFrame } from "./_frames.ts";

Deno.test("encodeFrame masks every payload and writes each length in its shortest form", () => {
  for (const [length, headSize] of [[0, 6], [125, 6], [126, 8], [65535, 8], [65536, 14]] as const) {
    const payload = new Uint8Array(length).map((_, i) => i % 256);
    const frame = encodeFrame(2, payload);
    assert.equal(frame.length, headSize + length, `length ${length}`);
    assert.equal(frame[0], 0x82);
    const read = readClientFrame(frame)!;
    assert.ok(read.masked && read.fin);
    assert.equal(read.size, frame.length);
    assert.deepEqual(read.payload, payload);
  }
});

Deno.test("encodeFrame takes a fresh mask key for each frame", () => {
  const payload = new Uint8Array(64);
  const keys = new Set(
    Array.from({ length: 20 }, () => encodeFrame(1, payload).subarray(2, 6).join(",")),
  );
  assert.ok(keys.size > 1, "the mask keys are random");
  // An all-zero payload shows the key itself: the masked bytes are not the payload.
  assert.ok(Array.from({ length: 20 }).some(() => encodeFrame(1, payload)[6] !== 0));
});
