// Random chunk boundaries for the fuzz properties: a byte stream cut where fast-check says, each
// chunk its own buffer, as a socket or a response body delivers it.
import fc from "fast-check";

/** Where to cut a stream: raw cut points, reduced modulo the stream's length when applied. */
export interface Cuts {
  /** Cut points before reduction; duplicates and zeros give no extra chunk. */
  at: number[];
  /** Also cut right after every byte equal to this one (a CR, to split CRLF), when set. */
  after: number | undefined;
}

/** Up to `max` random cut points, sometimes also after every CR (13). */
export function cuts(max = 12): fc.Arbitrary<Cuts> {
  return fc.record({
    at: fc.array(fc.nat(), { maxLength: max }),
    after: fc.option(fc.constant(13), { freq: 4, nil: undefined }),
  });
}

/** `bytes` cut at `cuts`, each chunk a copy. */
export function applyCuts(bytes: Uint8Array, { at, after }: Cuts): Uint8Array[] {
  const points = new Set(at.map((point) => point % (bytes.length + 1)));
  if (after !== undefined) {
    bytes.forEach((byte, index) => {
      if (byte === after) points.add(index + 1);
    });
  }
  points.add(bytes.length);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points].sort((a, b) => a - b)) {
    if (point === 0) continue;
    chunks.push(bytes.slice(from, point));
    from = point;
  }
  return chunks;
}
