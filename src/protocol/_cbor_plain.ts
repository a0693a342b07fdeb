// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// Checks one CBOR item before cbor-x reads it, so that cbor-x only ever builds plain values.
// cbor-x gives meaning to tags (records that define structures, shared references, packed
// values, dates, sets, typed arrays, errors) and hands a bare break byte (`ff`) out as its own
// internal marker object, which a record tag can then write properties onto for the rest of the
// process. ciborium, which every sender uses, skips tags before any value (protocol.md §5.2), so
// this removes them, and it refuses a break where no indefinite-length array or map ends, a
// reserved head, a simple value other than false, true, null and undefined, an indefinite-length
// string (cbor-x reads none), nesting deeper than ciborium's 256, and bytes after the item. The
// walk reads heads only (string contents are skipped), one pass, no recursion.

/** How deep arrays and maps may nest: ciborium's default recursion limit. */
const MAX_DEPTH = 256;

/** Open indefinite-length containers on the stack (a definite one holds its items left, ≥ 1). */
const ANY_ITEMS = -1;
const MAP_KEY = -2;
const MAP_VALUE = -3;

/**
 * `bytes` when it is one well-formed item without tags, else a copy with its tag heads left out.
 *
 * @throws {Error} What is wrong and at which byte, for the caller's `ProtocolError`.
 */
export function plainCbor(bytes: Uint8Array): Uint8Array {
  const tags: number[] = [];
  const open: number[] = [];
  let at = 0;
  for (;;) {
    if (at >= bytes.length) throw new Error("the CBOR item is cut short");
    const start = at;
    const initial = bytes[at++]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (initial === 0xff) {
      const top = open.at(-1);
      if (top !== ANY_ITEMS && top !== MAP_KEY) {
        throw new Error(
          `a break byte (ff) at byte ${start} ends no indefinite-length array or map`,
        );
      }
      open.pop();
    } else {
      let argument = info;
      if (info >= 24 && info <= 27) {
        const size = 1 << (info - 24);
        if (at + size > bytes.length) throw new Error("the CBOR item is cut short");
        argument = 0;
        for (let i = 0; i < size; i++) argument = argument * 256 + bytes[at++]!;
      } else if (info > 27 && (info < 31 || major < 4 || major > 5)) {
        throw new Error(`byte ${start} (${hex(initial)}) is not a CBOR head this decoder reads`);
      }
      if (major === 6) {
        tags.push(start, at);
        continue;
      }
      if (major === 7 && (info < 20 || info === 24)) {
        throw new Error(`byte ${start} is an unassigned simple value`);
      }
      if (major === 2 || major === 3) {
        if (argument > bytes.length - at) throw new Error("the CBOR item is cut short");
        at += argument;
      } else if (major === 4 || major === 5) {
        const items = info === 31 ? (major === 4 ? ANY_ITEMS : MAP_KEY) : argument * (major - 3);
        if (items !== 0) {
          if (open.length === MAX_DEPTH) {
            throw new Error(`arrays and maps nest deeper than ${MAX_DEPTH}`);
          }
          open.push(items);
          continue;
        }
      }
    }
    if (ended(open)) break;
  }
  if (at !== bytes.length) throw new Error(`bytes follow the CBOR item at byte ${at}`);
  return tags.length === 0 ? bytes : without(bytes, tags);
}

/** Counts one finished item in the open containers; whether the outermost item is done. */
function ended(open: number[]): boolean {
  for (;;) {
    const top = open.length - 1;
    if (top < 0) return true;
    const left = open[top]!;
    if (left === ANY_ITEMS) return false;
    if (left === MAP_KEY || left === MAP_VALUE) {
      open[top] = left === MAP_KEY ? MAP_VALUE : MAP_KEY;
      return false;
    }
    if (left > 1) {
      open[top] = left - 1;
      return false;
    }
    open.pop();
  }
}

/** `bytes` without the ranges `[tags[i], tags[i + 1])`. */
function without(bytes: Uint8Array, tags: readonly number[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (let i = 0; i < tags.length; i += 2) {
    parts.push(bytes.subarray(from, tags[i]));
    from = tags[i + 1]!;
  }
  parts.push(bytes.subarray(from));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
