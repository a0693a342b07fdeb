// Chunking shared by the decoder tests (SSE, frames, messages): every rule is checked with the
// input cut at each of these sizes, each chunk its own buffer, as a socket or a body delivers it.

/** The chunk sizes every decoder test runs at. */
export const CHUNK_SIZES: readonly number[] = [1, 2, 3, 7, 64, 65536];

/** `bytes` cut into copies of `size` bytes (the last one shorter). */
export function* rechunk(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

/** Runs `check` once per chunk size, naming the size when it fails. */
export async function atEveryChunkSize(check: (size: number) => Promise<void>): Promise<void> {
  for (const size of CHUNK_SIZES) {
    try {
      await check(size);
    } catch (error) {
      throw new Error(`at chunk size ${size}: ${(error as Error).message}`, { cause: error });
    }
  }
}
