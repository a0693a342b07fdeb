// Mutations of valid inputs for the fuzz properties: bit flips, inserted, deleted and duplicated
// bytes, truncation, at positions fast-check picks.
import fc from "fast-check";

/** One change to a valid input. */
export type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "insert"; at: number; byte: number }
  | { kind: "delete"; at: number; length: number }
  | { kind: "duplicate"; at: number; length: number }
  | { kind: "truncate"; at: number };

/** A change to a valid input. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip"), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({
    kind: fc.constant("insert"),
    at: fc.nat(),
    byte: fc.constantFrom(0, 9, 10, 13, 32, 58, 59, 48, 65, 127, 255, 0x80),
  }),
  fc.record({ kind: fc.constant("delete"), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    kind: fc.constant("duplicate"),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 30 }),
  }),
  fc.record({ kind: fc.constant("truncate"), at: fc.nat() }),
);

/** `bytes` with each change applied in turn (positions reduced modulo the length). */
export function mutate(bytes: Uint8Array, changes: Mutation[]): Uint8Array {
  let out = [...bytes];
  for (const change of changes) {
    const at = change.at % (out.length + 1);
    if (change.kind === "flip" && at < out.length) out[at]! ^= 1 << change.bit;
    if (change.kind === "insert") out.splice(at, 0, change.byte);
    if (change.kind === "delete") out.splice(at, change.length);
    if (change.kind === "duplicate") out.splice(at, 0, ...out.slice(at, at + change.length));
    if (change.kind === "truncate") out = out.slice(0, at);
  }
  return Uint8Array.from(out);
}
