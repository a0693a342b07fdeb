// Readers of the adapter's streaming answers: SSE events (with the library's own decoder) and
// NDJSON lines, each handed to a callback that may stop the read by returning false.

import { SseDecoderStream, type SseEvent } from "../src/sse/mod.ts";

/** Reads SSE events until the body ends or `onEvent` returns false (then cancels the body). */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: SseEvent) => boolean | Promise<boolean>,
): Promise<"ended" | "stopped"> {
  const reader = body.pipeThrough(new SseDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return "ended";
      if (!(await onEvent(value))) return "stopped";
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** Reads NDJSON values (skipping empty heartbeat lines) until the end or `onValue` says stop. */
export async function readNdjson(
  body: ReadableStream<Uint8Array>,
  onValue: (value: unknown) => boolean | Promise<boolean>,
): Promise<"ended" | "stopped"> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let tail = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return "ended";
      const lines = (tail + value).split("\n");
      tail = lines.pop()!;
      for (const line of lines) {
        if (line.trim() === "") continue;
        if (!(await onValue(JSON.parse(line)))) return "stopped";
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
