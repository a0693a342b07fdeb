// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// Small codecs that map payload values between our camelCase shapes and the plain values cbor-x
// writes and reads. A struct codec is a list of fields in wire order, so one schema per type
// drives both directions. Failures are `FieldError`s that collect the path to the bad field as
// they unwind; the message codec turns them into `ProtocolError`s naming the type and session.

/** A value that did not fit its schema; `path` is filled in by the enclosing codecs. */
export class FieldError extends Error {
  /** Field names and `[index]`es, outermost first. */
  readonly path: string[] = [];

  /**
   * @param problem What is wrong, such as "must be a u16, got 70000".
   * @param missing Whether the field is absent rather than wrong.
   */
  /** What is wrong, such as "must be a u16, got 70000". */
  readonly problem: string;
  /** Whether the field is absent rather than wrong. */
  readonly missing: boolean;

  constructor(problem: string, missing = false) {
    super(problem);
    this.name = "FieldError";
    this.problem = problem;
    this.missing = missing;
  }

  /** The failure in a sentence, such as ``field `rlimits[0].soft` must be a u64, got -1``. */
  describe(): string {
    const path = this.path.join(".").replaceAll(".[", "[");
    if (this.missing) return `missing required field \`${path}\``;
    return path === "" ? `the payload ${this.problem}` : `field \`${path}\` ${this.problem}`;
  }
}

/** Maps one value of type `T` to what cbor-x writes, and back from what cbor-x reads. */
export interface Codec<T> {
  encode(value: T): unknown;
  decode(raw: unknown): T;
}

/** Adds `segment` to the path of a `FieldError`; returns the error to rethrow. */
function at(error: unknown, segment: string): unknown {
  if (error instanceof FieldError) error.path.unshift(segment);
  return error;
}

/** Names a value in an error: its value when short, else its kind. */
function describe(raw: unknown): string {
  if (raw === null || raw === undefined) return String(raw);
  if (typeof raw === "number" || typeof raw === "bigint" || typeof raw === "boolean") {
    return String(raw);
  }
  if (typeof raw === "string") return "a text string";
  if (raw instanceof Uint8Array) return "a byte string";
  if (Array.isArray(raw)) return "an array";
  return "a map";
}

function mismatch(expected: string, raw: unknown): FieldError {
  return new FieldError(`must be ${expected}, got ${describe(raw)}`);
}

/** A codec whose value is the same in both directions, checked by `test`. */
function checked<T>(expected: string, test: (raw: unknown) => raw is T): Codec<T> {
  const check = (raw: unknown): T => {
    if (test(raw)) return raw;
    throw mismatch(expected, raw);
  };
  return { encode: check, decode: check };
}

/** A CBOR text string. */
export const text: Codec<string> = checked("a text string", (raw) => typeof raw === "string");

/** A CBOR boolean. */
export const bool: Codec<boolean> = checked("a boolean", (raw) => typeof raw === "boolean");

/**
 * A CBOR byte string (major 2), never tagged. Decoding also accepts an array of bytes, as
 * ciborium does; a byte string comes out as the view cbor-x made of the input.
 */
export const bytes: Codec<Uint8Array> = {
  encode(value) {
    if (value instanceof Uint8Array) return value;
    throw mismatch("a Uint8Array", value);
  },
  decode(raw) {
    if (raw instanceof Uint8Array) return raw;
    if (Array.isArray(raw) && raw.every((b) => Number.isInteger(b) && b >= 0 && b <= 0xff)) {
      return Uint8Array.from(raw);
    }
    throw mismatch("a byte string", raw);
  },
};

/** An integer in `min ..= max` that always fits a `number` (u16, u32, i32). */
function smallInt(name: string, min: number, max: number): Codec<number> {
  const check = (raw: unknown): number => {
    const value = typeof raw === "bigint" ? Number(raw) : raw;
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) {
      return value;
    }
    throw mismatch(name, raw);
  };
  return { encode: check, decode: check };
}

/** An unsigned 16-bit integer. */
export const u16: Codec<number> = smallInt("a u16", 0, 0xffff);
/** An unsigned 32-bit integer. */
export const u32: Codec<number> = smallInt("a u32", 0, 0xffff_ffff);
/** A signed 32-bit integer (negatives are CBOR major 1). */
export const i32: Codec<number> = smallInt("an i32", -0x8000_0000, 0x7fff_ffff);

/**
 * A 64-bit integer in `min ..= max`. Encoded as a `number` inside ±2^32, where cbor-x writes the
 * shortest head, and as a `bigint` outside, where it writes `1b`/`3b` + 8 bytes (a `number` there
 * would become a float, which ciborium refuses). Decoded as a `number` when it is safe, else a
 * `bigint`.
 */
function wideInt(name: string, min: bigint, max: bigint): Codec<number | bigint> {
  const lowestNumber = min < 0n ? -0x1_0000_0000 : 0;
  const toBigInt = (raw: unknown): bigint => {
    if (typeof raw === "bigint" && raw >= min && raw <= max) return raw;
    if (typeof raw === "number" && Number.isInteger(raw) && raw >= min && raw <= max) {
      return BigInt(raw);
    }
    throw mismatch(name, raw);
  };
  return {
    encode(value) {
      if (
        typeof value === "number" && Number.isInteger(value) && value >= lowestNumber &&
        value < 0x1_0000_0000
      ) return value;
      const wide = toBigInt(value);
      return wide >= -0x1_0000_0000n && wide < 0x1_0000_0000n ? Number(wide) : wide;
    },
    decode(raw) {
      if (typeof raw === "number" && Number.isSafeInteger(raw) && raw >= min) return raw;
      const wide = toBigInt(raw);
      const safe = wide >= Number.MIN_SAFE_INTEGER && wide <= Number.MAX_SAFE_INTEGER;
      return safe ? Number(wide) : wide;
    },
  };
}

/** An unsigned 64-bit integer. */
export const u64: Codec<number | bigint> = wideInt("a u64", 0n, 2n ** 64n - 1n);
/** A signed 64-bit integer. */
export const i64: Codec<number | bigint> = wideInt("an i64", -(2n ** 63n), 2n ** 63n - 1n);

/** `T` or CBOR null (`Option<T>` that is always written). */
export function nullable<T>(codec: Codec<T>): Codec<T | null> {
  return {
    encode: (value) => value === null || value === undefined ? null : codec.encode(value),
    decode: (raw) => raw === null || raw === undefined ? null : codec.decode(raw),
  };
}

/** A CBOR array of `T`. */
export function arrayOf<T>(codec: Codec<T>): Codec<T[]> {
  const each = (list: unknown, step: (item: unknown) => unknown): T[] => {
    if (!Array.isArray(list)) throw mismatch("an array", list);
    const out = new Array(list.length);
    let i = 0;
    try {
      for (; i < list.length; i++) out[i] = step(list[i]);
    } catch (error) {
      throw at(error, `[${i}]`);
    }
    return out;
  };
  return {
    encode: (value) => each(value, (item) => codec.encode(item as T)),
    decode: (raw) => each(raw, (item) => codec.decode(item)),
  };
}

/** A plain object, as cbor-x reads a CBOR map and as our payload shapes are. */
export type Json = Record<string, unknown>;

function map(raw: unknown): Json {
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw) && !ArrayBuffer.isView(raw)) {
    return raw as Json;
  }
  throw mismatch("a map", raw);
}

/** One field of a struct schema; see {@linkcode field} and {@linkcode optional}. */
export interface Field {
  /** The camelCase property. */
  key: string;
  /** The snake_case wire name. */
  wire: string;
  codec: Codec<unknown>;
  /** The value of an absent field; the field is required without one. */
  fallback: (() => unknown) | undefined;
  /** Omitted from the wire when absent or equal to this (`skip_serializing_if`). */
  omitWhen: { value: unknown } | undefined;
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * A field that is always written. Without `fallback` it is required on decode; with one, an
 * absent field decodes (and encodes, when `undefined`) as `fallback()`.
 */
export function field<T>(key: string, codec: Codec<T>, fallback?: () => T): Field {
  return {
    key,
    wire: snakeCase(key),
    codec: codec as Codec<unknown>,
    fallback,
    omitWhen: undefined,
  };
}

/**
 * A field that is left out of the wire when absent, `null` or equal to `skipped`, and left out of
 * the decoded value when absent or `null`.
 */
export function optional<T>(key: string, codec: Codec<T>, skipped?: T): Field {
  return {
    key,
    wire: snakeCase(key),
    codec: codec as Codec<unknown>,
    fallback: undefined,
    omitWhen: { value: skipped },
  };
}

/** A struct written as a CBOR map of its fields in schema order (ciborium's layout). */
export function struct<T>(fields: readonly Field[]): Codec<T> {
  return {
    encode(value) {
      const source = map(value);
      const out: Json = {};
      let current = "";
      try {
        for (const f of fields) {
          current = f.key;
          let item = source[f.key];
          if (f.omitWhen && (item == null || item === f.omitWhen.value)) continue;
          if (item === undefined) {
            if (!f.fallback) throw new FieldError("is missing", true);
            item = f.fallback();
          }
          out[f.wire] = f.codec.encode(item);
        }
      } catch (error) {
        throw at(error, current);
      }
      return out;
    },
    decode(raw) {
      const source = map(raw);
      const out: Json = {};
      let current = "";
      try {
        for (const f of fields) {
          current = f.wire;
          const item = source[f.wire];
          if (item !== undefined && !(f.omitWhen && item === null)) {
            out[f.key] = f.codec.decode(item);
          } else if (f.fallback) {
            out[f.key] = f.fallback();
          } else if (!f.omitWhen) {
            throw new FieldError("is missing", true);
          }
        }
      } catch (error) {
        throw at(error, current);
      }
      return out as T;
    },
  };
}

/**
 * An externally tagged enum: a CBOR map with one entry whose key is the PascalCase variant name
 * (serde's default for Rust enums with data).
 */
export function tagged<T>(
  what: string,
  variants: Readonly<Record<string, Codec<unknown>>>,
): Codec<T> {
  const convert = (raw: unknown, encoding: boolean): Json => {
    const source = map(raw);
    const keys = Object.keys(source);
    if (keys.length !== 1) throw new FieldError(`must be a map with exactly one ${what} variant`);
    const name = keys[0]!;
    const codec = Object.hasOwn(variants, name) ? variants[name] : undefined;
    if (!codec) throw new FieldError(`has an unknown ${what} variant \`${name}\``);
    try {
      return { [name]: encoding ? codec.encode(source[name]) : codec.decode(source[name]) };
    } catch (error) {
      throw at(error, name);
    }
  };
  return {
    encode: (value) => convert(value, true),
    decode: (raw) => convert(raw, false) as T,
  };
}

/** A CBOR map passed through as it is (a payload whose schema we do not model). */
export const opaqueMap: Codec<Json> = { encode: map, decode: map };
