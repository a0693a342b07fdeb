import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import {
  encodeFrame,
  type Frame,
  FrameDecoder,
  FrameDecoderStream,
  MAX_FRAME_SIZE,
} from "../../src/protocol/mod.ts";
import {
  CAPTURED_CURRENT_ECHO_REQUEST,
  CAPTURED_V05_CAT_REQUEST,
  CAPTURED_V05_ECHO_REQUEST,
  CAPTURED_V05_STDIN_EOF,
  CAPTURED_V05_STDIN_HI,
  EXAMPLE_B_STDOUT,
  EXAMPLE_D_EXITED,
  stdoutFrames,
} from "./_fixtures.ts";
import { atEveryChunkSize, concat, rechunk, replayFrames } from "./_replay.ts";

const GOLDEN = [
  CAPTURED_V05_ECHO_REQUEST,
  CAPTURED_V05_CAT_REQUEST,
  CAPTURED_V05_STDIN_HI,
  CAPTURED_V05_STDIN_EOF,
  CAPTURED_CURRENT_ECHO_REQUEST,
  EXAMPLE_B_STDOUT,
  EXAMPLE_D_EXITED,
];

/** A frame of `bodyLength` bytes whose body bytes count up from `seed`. */
function frameOf(id: number, flags: number, bodyLength: number, seed = 0): Frame {
  const body = Uint8Array.from({ length: bodyLength }, (_, i) => (seed + i) & 0xff);
  return { id, flags, body };
}

/** The frames a push decoder emits for `chunks`, fed in order. */
function pushAll(chunks: Iterable<Uint8Array>, options?: { maxFrameSize?: number }): Frame[] {
  const frames: Frame[] = [];
  const decoder = new FrameDecoder((frame) => frames.push(frame), options);
  for (const chunk of chunks) decoder.feed(chunk);
  decoder.end();
  return frames;
}

function isProtocolError(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ProtocolError, `expected a ProtocolError, got ${error}`);
    assert.match(error.message, pattern);
    return true;
  };
}

Deno.test("FrameDecoderStream cuts the captured golden frames at every chunk size", async () => {
  const bytes = concat(GOLDEN);
  await atEveryChunkSize(async (size) => {
    const frames = await replayFrames(bytes, size);
    assert.deepEqual(
      frames.map((frame) => [frame.id, frame.flags, frame.body.length]),
      [[1, 2, 92], [1, 2, 88], [1, 0, 34], [1, 0, 32], [1000, 2, 96], [1, 0, 36], [1, 1, 33]],
    );
    for (const [i, frame] of frames.entries()) {
      assert.deepEqual(frame.body, GOLDEN[i]!.subarray(9));
    }
  });
});

Deno.test("FrameDecoderStream yields many frames per chunk and frames spanning chunks", async () => {
  const frames = [
    frameOf(1, 0, 0),
    frameOf(2, 1, 1, 7),
    frameOf(3, 2, 200, 3),
    frameOf(0xffff_ffff, 0xff, 70_000, 9),
    frameOf(5, 4, 12, 1),
  ];
  const bytes = concat(frames.map(encodeFrame));
  await atEveryChunkSize(async (size) => {
    assert.deepEqual(await replayFrames(bytes, size), frames);
  });
});

Deno.test("FrameDecoderStream decodes 4 KiB stdout frames at every chunk size", async () => {
  const bytes = stdoutFrames(32, 4096);
  await atEveryChunkSize(async (size) => {
    const frames = await replayFrames(bytes, size);
    assert.equal(frames.length, 32);
    assert.ok(frames.every((frame) => frame.id === 1000 && frame.flags === 0));
  });
});

Deno.test("FrameDecoderStream accepts a frame of exactly MAX_FRAME_SIZE", async () => {
  const frame = frameOf(1, 0, MAX_FRAME_SIZE - 5, 1);
  for (const size of [65536, 1 << 20]) {
    const [decoded] = await replayFrames(encodeFrame(frame), size);
    assert.deepEqual(decoded, frame);
  }
});

Deno.test("FrameDecoder hands out views of the chunk for frames inside it", () => {
  const chunk = concat([frameOf(1, 0, 10), frameOf(2, 0, 20), frameOf(3, 0, 0)].map(encodeFrame));
  const frames = pushAll([chunk]);
  assert.equal(frames.length, 3);
  for (const frame of frames) assert.equal(frame.body.buffer, chunk.buffer);
  assert.equal(frames[0]!.body.byteOffset, 9);
  assert.equal(frames[1]!.body.byteOffset, 19 + 9);
});

Deno.test("FrameDecoderStream hands out views of each chunk and copies only spanning frames", async () => {
  const first = encodeFrame(frameOf(1, 0, 30));
  const spanning = encodeFrame(frameOf(2, 0, 30, 5));
  const last = encodeFrame(frameOf(3, 0, 30, 9));
  const chunkA = concat([first, spanning.subarray(0, 20)]);
  const chunkB = concat([spanning.subarray(20), last]);
  const frames = await Array.fromAsync(
    ReadableStream.from([chunkA, chunkB]).pipeThrough(new FrameDecoderStream()),
  );
  assert.equal(frames[0]!.body.buffer, chunkA.buffer);
  assert.notEqual(frames[1]!.body.buffer, chunkA.buffer);
  assert.notEqual(frames[1]!.body.buffer, chunkB.buffer);
  assert.deepEqual(frames[1]!.body, frameOf(2, 0, 30, 5).body);
  assert.equal(frames[2]!.body.buffer, chunkB.buffer);
});

Deno.test("FrameDecoder reports pending bytes and resets", () => {
  const frames: Frame[] = [];
  const decoder = new FrameDecoder((frame) => frames.push(frame));
  const bytes = encodeFrame(frameOf(1, 0, 10));
  decoder.feed(bytes.subarray(0, 3));
  assert.equal(decoder.pending, 3);
  decoder.feed(bytes.subarray(3, 12));
  assert.equal(decoder.pending, 12);
  decoder.reset();
  assert.equal(decoder.pending, 0);
  decoder.feed(bytes);
  decoder.end();
  assert.equal(frames.length, 1);
});

Deno.test("FrameDecoder stops after onFrame throws, until reset", () => {
  const frames: Frame[] = [];
  let calls = 0;
  const decoder = new FrameDecoder((frame) => {
    if (calls++ === 0) throw new Error("busy");
    frames.push(frame);
  });
  const bytes = concat([frameOf(1, 0, 4), frameOf(2, 0, 4)].map(encodeFrame));
  assert.throws(() => decoder.feed(bytes), /busy/);
  assert.throws(() => decoder.feed(bytes), /busy/);
  decoder.reset();
  decoder.feed(bytes);
  decoder.end();
  assert.deepEqual(frames.map((frame) => frame.id), [1, 2]);
});

Deno.test("FrameDecoder rejects a length above 4 MiB as soon as the 4 length bytes are fed", () => {
  const frames: Frame[] = [];
  const decoder = new FrameDecoder((frame) => frames.push(frame));
  decoder.feed(new Uint8Array([0x00, 0x4c]));
  assert.throws(
    () => decoder.feed(new Uint8Array([0x4b, 0x40])),
    isProtocolError(
      /^Cannot decode frame: length 5000000 exceeds the 4194304-byte limit \(at byte 0 of the stream\)$/,
    ),
  );
  assert.throws(() => decoder.feed(new Uint8Array([0])), ProtocolError, "stays failed");
  assert.deepEqual(frames, []);
  decoder.reset();
  decoder.feed(encodeFrame(frameOf(1, 0, 1)));
  assert.equal(frames.length, 1);
});

Deno.test("FrameDecoderStream rejects a length above 4 MiB before the body arrives", async () => {
  for (const size of [1, 2, 4]) {
    // The source sends the length and then nothing more, like a peer that stalls after it.
    const header = new Uint8Array([0x00, 0x40, 0x00, 0x01]);
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of rechunk(header, size)) controller.enqueue(chunk);
      },
    });
    const reader = source.pipeThrough(new FrameDecoderStream()).getReader();
    await assert.rejects(
      reader.read(),
      isProtocolError(/length 4194305 exceeds the 4194304-byte limit \(at byte 0 of the stream\)/),
    );
  }
});

Deno.test("FrameDecoderStream names the stream offset of a bad length after good frames", async () => {
  const good = encodeFrame(frameOf(1, 0, 10));
  const bytes = concat([good, good, new Uint8Array([0x7f, 0xff, 0xff, 0xff, 0, 0])]);
  await atEveryChunkSize(async (size) => {
    await assert.rejects(
      replayFrames(bytes, size),
      isProtocolError(
        /length 2147483647 exceeds the 4194304-byte limit \(at byte 38 of the stream\)/,
      ),
    );
  });
});

Deno.test("FrameDecoderStream honours a smaller maxFrameSize", async () => {
  const bytes = encodeFrame(frameOf(1, 0, 100));
  await atEveryChunkSize(async (size) => {
    await assert.rejects(
      replayFrames(bytes, size, { maxFrameSize: 64 }),
      isProtocolError(/length 105 exceeds the 64-byte limit/),
    );
  });
  assert.throws(() => new FrameDecoder(() => {}, { maxFrameSize: 4 }), RangeError);
});

Deno.test("FrameDecoderStream rejects a length below the 5-byte header", async () => {
  for (const length of [0, 3, 4]) {
    const bytes = new Uint8Array([0, 0, 0, length, 0, 0, 0, 1, 0]);
    await atEveryChunkSize(async (size) => {
      await assert.rejects(
        replayFrames(bytes, size),
        isProtocolError(
          new RegExp(
            `^Cannot decode frame: length ${length} is below the 5-byte header \\(at byte 0`,
          ),
        ),
      );
    });
  }
});

Deno.test("FrameDecoderStream rejects a truncated final frame at the end of the stream", async () => {
  const whole = concat([EXAMPLE_B_STDOUT, EXAMPLE_D_EXITED]);
  const cases: [Uint8Array, RegExp][] = [
    [
      whole.subarray(0, whole.length - 1),
      /truncated frame \(41 of 42 bytes at byte 45 of the stream\)/,
    ],
    [whole.subarray(0, 47), /truncated frame \(2 bytes at byte 45 of the stream\)/],
    [whole.subarray(0, 45 + 9), /truncated frame \(9 of 42 bytes at byte 45/],
  ];
  for (const [bytes, pattern] of cases) {
    await atEveryChunkSize(async (size) => {
      await assert.rejects(replayFrames(bytes, size), isProtocolError(pattern));
    });
  }
});

Deno.test("FrameDecoder.end resets after a truncated frame", () => {
  const decoder = new FrameDecoder(() => {});
  decoder.feed(EXAMPLE_D_EXITED.subarray(0, 10));
  assert.throws(() => decoder.end(), isProtocolError(/truncated frame/));
  assert.equal(decoder.pending, 0);
  decoder.end();
});

Deno.test("FrameDecoderStream yields nothing for an empty stream", async () => {
  assert.deepEqual(await replayFrames(new Uint8Array(0), 1), []);
  const frames = await Array.fromAsync(
    ReadableStream.from([new Uint8Array(0), EXAMPLE_D_EXITED, new Uint8Array(0)])
      .pipeThrough(new FrameDecoderStream()),
  );
  assert.equal(frames.length, 1);
});
