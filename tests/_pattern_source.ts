// A large body for the streaming tests, made as it is read: never held whole.
import type { createHash } from "node:crypto";

const MIB = 1024 * 1024;

/**
 * `count` MiB of deterministic bytes, 1 MiB a chunk, each chunk added to `hash` as it is made; it
 * makes the next chunk only when the reader asks for it.
 */
export function patternSource(
  count: number,
  hash: ReturnType<typeof createHash>,
): ReadableStream<Uint8Array> {
  let made = 0;
  return new ReadableStream({
    pull(controller) {
      if (made === count) return controller.close();
      const chunk = new Uint8Array(MIB);
      for (let i = 0; i < chunk.length; i += 4096) chunk[i] = (made * 31 + i) & 0xff;
      chunk[0] = made & 0xff;
      made++;
      hash.update(chunk);
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}
