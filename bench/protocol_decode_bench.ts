// Decoding a busy command's output: 1024 `core.exec.stdout` frames of 4 KiB each (4.24 MB),
// fed as 64 KiB chunks as a WebSocket delivers them, through our frame and message decoders,
// against bare cbor-x decoding the same frame bodies (envelope, then the payload in `p`) already
// cut apart: the cost of the CBOR alone. Run with `deno bench bench/protocol_decode_bench.ts`.
//
// MB/s = 4.24 MB / time per iteration. Target: ≥ 1.5 GB/s and within 1.5× of the baseline.
// On the dev box (AMD EPYC, Deno 2.9.6, three runs): baseline 463–499 µs (8.5–9.2 GB/s);
// FrameDecoder + decodeMessage 457–556 µs (7.6–9.3 GB/s, 0.92–1.16×); the two-stream pipeline
// 1.7–2.2 ms (1.9–2.5 GB/s). The pipeline's extra time is Web Streams machinery, one chunk per
// frame through a second TransformStream: the "stream hop" group measures that hop with no
// decoding at all (an identity TransformStream after FrameDecoderStream adds ~0.35 ms here).
import { Decoder } from "cbor-x/decode";
import {
  type DecodedMessage,
  decodeMessage,
  type Frame,
  FrameDecoder,
  FrameDecoderStream,
  MessageDecoderStream,
} from "../src/protocol/mod.ts";
import { stdoutFrames } from "../tests/protocol/_fixtures.ts";
import { sessionBounds } from "../src/wire/_session_queue.ts";
import { SocketSessions } from "../src/wire/_socket_sessions.ts";

const FRAMES = 1024;
const DATA_SIZE = 4096;
const CHUNK_SIZE = 64 * 1024;

const bytes = stdoutFrames(FRAMES, DATA_SIZE);
const chunks: Uint8Array[] = [];
for (let at = 0; at < bytes.length; at += CHUNK_SIZE) chunks.push(bytes.slice(at, at + CHUNK_SIZE));
/** The frames cut ahead of time, each body in its own buffer. */
const frames: Frame[] = [];
new FrameDecoder((frame) => frames.push({ ...frame, body: frame.body.slice() })).feed(bytes);

const megabytes = (bytes.length / 1e6).toFixed(2);
const decode = `decode ${FRAMES} × 4 KiB stdout frames, ${megabytes} MB per iteration`;
const hop = `stream hop for ${FRAMES} frames (cost of the machinery alone)`;
const cbor = new Decoder({ useRecords: false });

/** Checks that a run saw every frame and every byte of output. */
function expectOutput(count: number, total: number): void {
  if (count !== FRAMES || total !== FRAMES * DATA_SIZE) throw new Error("wrong output");
}

/** Adds up a message's output, refusing any other type. */
function outputOf(message: DecodedMessage): number {
  if (message.unknown || message.type !== "core.exec.stdout") throw new Error("wrong type");
  return message.payload.data.length;
}

Deno.bench({
  name: "bare cbor-x on cut bodies: envelope + payload",
  group: decode,
  baseline: true,
  fn() {
    let total = 0;
    for (const frame of frames) {
      const envelope = cbor.decode(frame.body);
      if (envelope.t !== "core.exec.stdout") throw new Error("wrong type");
      total += cbor.decode(envelope.p).data.length;
    }
    expectOutput(frames.length, total);
  },
});

Deno.bench({
  name: "FrameDecoder + decodeMessage on 64 KiB chunks",
  group: decode,
  fn() {
    let count = 0;
    let total = 0;
    const decoder = new FrameDecoder((frame) => {
      total += outputOf(decodeMessage(frame));
      count++;
    });
    for (const chunk of chunks) decoder.feed(chunk);
    decoder.end();
    expectOutput(count, total);
  },
});

Deno.bench({
  name: "FrameDecoderStream → MessageDecoderStream on 64 KiB chunks",
  group: decode,
  async fn() {
    let count = 0;
    let total = 0;
    const messages = ReadableStream.from(chunks)
      .pipeThrough(new FrameDecoderStream())
      .pipeThrough(new MessageDecoderStream());
    for await (const message of messages) {
      total += outputOf(message);
      count++;
    }
    expectOutput(count, total);
  },
});

Deno.bench({
  name: "SocketSessions (the exec path: frames decoded where the socket delivers them)",
  group: decode,
  async fn() {
    let count = 0;
    let total = 0;
    const socket = { backpressure: true, read() {}, writable: new WritableStream(), close() {} };
    const sessions = new SocketSessions(socket, { version: 7, generation: 7 }, "bench socket");
    const session = sessions.open(1000, sessionBounds(true, true));
    const reading = (async () => {
      for await (const message of session.messages) {
        total += outputOf(message);
        count++;
      }
    })();
    for (const chunk of chunks) await sessions.bytes(chunk);
    sessions.end();
    await reading;
    expectOutput(count, total);
  },
});

Deno.bench({
  name: "FrameDecoderStream alone, 64 KiB chunks → frames",
  group: hop,
  baseline: true,
  async fn() {
    let count = 0;
    for await (const _ of ReadableStream.from(chunks).pipeThrough(new FrameDecoderStream())) {
      count++;
    }
    if (count !== FRAMES) throw new Error("wrong output");
  },
});

Deno.bench({
  name: "FrameDecoderStream → identity TransformStream (no decoding)",
  group: hop,
  async fn() {
    let count = 0;
    const stream = ReadableStream.from(chunks)
      .pipeThrough(new FrameDecoderStream())
      .pipeThrough(new TransformStream<Frame, Frame>());
    for await (const _ of stream) count++;
    if (count !== FRAMES) throw new Error("wrong output");
  },
});
