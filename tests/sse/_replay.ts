// Replays SSE fixtures through `SseDecoderStream` the way a response body delivers them: in chunks
// of every size from 1 byte up, each chunk its own buffer.
import type { SseDecoderStreamOptions, SseEvent } from "../../src/sse/mod.ts";
import { SseDecoderStream } from "../../src/sse/mod.ts";
import { rechunk } from "../_chunks.ts";

export { atEveryChunkSize, CHUNK_SIZES, rechunk } from "../_chunks.ts";

/** The UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The events `SseDecoderStream` yields for `bytes` fed in chunks of `size`. */
export function replay(
  bytes: Uint8Array,
  size: number,
  options?: SseDecoderStreamOptions,
): Promise<SseEvent[]> {
  return decodeChunks(rechunk(bytes, size), options);
}

/** The events `SseDecoderStream` yields for the given chunks. */
export function decodeChunks(
  chunks: Iterable<Uint8Array>,
  options?: SseDecoderStreamOptions,
): Promise<SseEvent[]> {
  return Array.fromAsync(ReadableStream.from(chunks).pipeThrough(new SseDecoderStream(options)));
}

/** An event with the defaults of the fields not given. */
export function sse(fields: Partial<SseEvent>): SseEvent {
  return { id: undefined, event: "message", data: "", retry: undefined, ...fields };
}

/** A msb-cloud log event (protocol.md §7.2), as the server writes it. */
export function logEvent(cursor: string, text: string): string {
  const data = JSON.stringify({ source: "stdout", ts: "2026-05-31T10:00:00Z", text });
  return `id: ${cursor}\nevent: log\ndata: ${data}\n\n`;
}

/** `count` msb-cloud log events with 80-character texts, then `event: end` without data. */
export function logStream(count: number): string {
  let text = "";
  for (let i = 0; i < count; i++) text += logEvent(`c${i}`, `line ${i} `.padEnd(80, "x"));
  return text + "event: end\n\n";
}

/** `count` events whose single `data:` line is `size` characters of seeded pseudo-random ASCII. */
export function bigDataStream(count: number, size: number, seed = 1): string {
  let state = seed >>> 0;
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 {}":,';
  let text = "";
  for (let i = 0; i < count; i++) {
    const chars: string[] = [];
    for (let j = 0; j < size; j++) {
      state = (state * 1664525 + 1013904223) >>> 0;
      chars.push(alphabet[state % alphabet.length]!);
    }
    text += `id: ${i}\ndata: ${chars.join("")}\n\n`;
  }
  return text;
}
