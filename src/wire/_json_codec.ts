// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// Decoders of REST JSON bodies, built from tables of fields on the model of
// `protocol/_codec.ts`: an object codec is a record of fields keyed by our camelCase property,
// each with its codec and its snake_case wire name, so one table says what a body holds and the
// compiler checks it against the model it decodes into. Failures collect the path to the bad
// field as they unwind (`data[3].created_at`); `decodeJson` words them as `DecodeFailure`s.

/**
 * A response body that does not have the expected shape; the client adds the operation. Its
 * message names our field, never a value or a key of the body, which may hold anything.
 */
export class DecodeFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecodeFailure";
  }
}

/** A value that did not fit its codec; `path` is filled in by the enclosing codecs. */
class PathError extends Error {
  /** Field names and `[index]`es, outermost first. */
  readonly path: string[] = [];
  readonly missing: boolean;

  /** `problem` reads after the field's name, such as "is not a string". */
  constructor(problem: string, missing = false) {
    super(problem);
    this.missing = missing;
  }

  describe(what: string): string {
    const path = this.path.join(".").replaceAll(".[", "[");
    if (this.missing) return `missing field \`${path}\``;
    return path === "" ? `${what} ${this.message}` : `\`${path}\` ${this.message}`;
  }
}

/** Reads one JSON value into a `T`. */
export interface JsonCodec<T> {
  decode(raw: unknown): T;
}

/** The type a codec decodes into. */
export type DecodedBy<C> = C extends JsonCodec<infer T> ? T : never;

/** Adds `segment` to the path of a `PathError`; returns the error to rethrow. */
function at(error: unknown, segment: string): unknown {
  if (error instanceof PathError) error.path.unshift(segment);
  return error;
}

function checked<T>(problem: string, test: (raw: unknown) => boolean): JsonCodec<T> {
  return {
    decode(raw) {
      if (test(raw)) return raw as T;
      throw new PathError(problem);
    },
  };
}

/** A JSON string. */
export const string: JsonCodec<string> = checked(
  "is not a string",
  (raw) => typeof raw === "string",
);

/** A JSON boolean. */
export const boolean: JsonCodec<boolean> = checked(
  "is not a boolean",
  (raw) => typeof raw === "boolean",
);

/** A JSON number. */
export const number: JsonCodec<number> = checked(
  "is not a number",
  (raw) => typeof raw === "number",
);

/** A JSON number without a fraction. */
export const integer: JsonCodec<number> = checked("is not an integer", Number.isInteger);

/** An RFC 3339 date-time string, as a `Date`. */
export const date: JsonCodec<Date> = {
  decode(raw) {
    const value = typeof raw === "string" ? new Date(raw) : new Date(NaN);
    if (Number.isNaN(value.getTime())) throw new PathError("is not a date");
    return value;
  },
};

/** One of the given strings. */
export function oneOf<const T extends string>(values: readonly T[]): JsonCodec<T> {
  return checked(
    `is not one of ${values.join(", ")}`,
    (raw) => (values as readonly unknown[]).includes(raw),
  );
}

/** A JSON array of `T`. */
export function arrayOf<T>(codec: JsonCodec<T>): JsonCodec<T[]> {
  return {
    decode(raw) {
      if (!Array.isArray(raw)) throw new PathError("is not an array");
      const out = new Array<T>(raw.length);
      for (let i = 0; i < raw.length; i++) {
        try {
          out[i] = codec.decode(raw[i]);
        } catch (error) {
          throw at(error, `[${i}]`);
        }
      }
      return out;
    },
  };
}

/** A JSON object. */
export type Json = Record<string, unknown>;

function jsonObject(raw: unknown): Json {
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) return raw as Json;
  throw new PathError("is not an object");
}

/**
 * A JSON object of `T` values under any keys. A bad value is named by the record's field alone,
 * since its key is the body's, not ours.
 */
export function recordOf<T>(codec: JsonCodec<T>): JsonCodec<Record<string, T>> {
  return {
    decode(raw) {
      const out: Record<string, T> = {};
      for (const [key, item] of Object.entries(jsonObject(raw))) {
        try {
          out[key] = codec.decode(item);
        } catch (error) {
          if (!(error instanceof PathError)) throw error;
          throw new PathError(`holds a value that ${error.message}`);
        }
      }
      return out;
    },
  };
}

/** A codec whose decoded value goes through `convert`. */
export function mapped<A, B>(codec: JsonCodec<A>, convert: (value: A) => B): JsonCodec<B> {
  return { decode: (raw) => convert(codec.decode(raw)) };
}

/** One field of an object table; see {@linkcode required}, {@linkcode optional}, {@linkcode withDefault}. */
export interface JsonField<T> {
  readonly codec: JsonCodec<unknown>;
  /** The wire name; the snake_case form of the property when unset. */
  readonly wire: string | undefined;
  /** The value of an absent or `null` field; the field is required without one. */
  readonly fallback: (() => T) | undefined;
}

/** A field that must be present and not `null`. */
export function required<T>(codec: JsonCodec<T>, wire?: string): JsonField<T> {
  return { codec, wire, fallback: undefined };
}

/** A field whose absence or `null` decodes as `undefined`. */
export function optional<T>(codec: JsonCodec<T>, wire?: string): JsonField<T | undefined> {
  return { codec, wire, fallback: () => undefined };
}

/** A field whose absence or `null` decodes as `fallback()`. */
export function withDefault<T>(
  codec: JsonCodec<T>,
  fallback: () => T,
  wire?: string,
): JsonField<T> {
  return { codec, wire, fallback };
}

/** A table of fields, keyed by the decoded property. */
export type JsonFields = Readonly<Record<string, JsonField<unknown>>>;

/** What a table of fields decodes into. */
export type Decoded<F extends JsonFields> = {
  -readonly [K in keyof F]: F[K] extends JsonField<infer T> ? T : never;
};

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** A JSON object read by a table of fields; unknown fields are ignored, as serde does. */
export function object<F extends JsonFields>(fields: F): JsonCodec<Decoded<F>> {
  const entries = Object.entries(fields).map(([key, field]) => ({
    key,
    wire: field.wire ?? snakeCase(key),
    field,
  }));
  return {
    decode(raw) {
      const source = jsonObject(raw);
      const out: Json = {};
      for (const { key, wire, field } of entries) {
        const item = source[wire];
        try {
          if ((item === undefined || item === null) && field.fallback) out[key] = field.fallback();
          else if (item === undefined) throw new PathError("is missing", true);
          else out[key] = field.codec.decode(item); // a required `null` is refused by its codec
        } catch (error) {
          throw at(error, wire);
        }
      }
      return out as Decoded<F>;
    },
  };
}

/**
 * Decodes `raw` with `codec`, or throws a `DecodeFailure` naming the path to the bad field, or
 * `what` when the body itself is wrong (such as "sandbox is not an object").
 */
export function decodeJson<T>(codec: JsonCodec<T>, raw: unknown, what: string): T {
  try {
    return codec.decode(raw);
  } catch (error) {
    if (error instanceof PathError) throw new DecodeFailure(error.describe(what));
    throw error;
  }
}

/** The value of the first of `codecs` that decodes it, for untagged unions; else `problem`. */
export function firstOf<T>(problem: string, ...codecs: JsonCodec<T>[]): JsonCodec<T> {
  return {
    decode(raw) {
      for (const codec of codecs) {
        try {
          return codec.decode(raw);
        } catch (error) {
          if (!(error instanceof PathError)) throw error;
        }
      }
      throw new PathError(problem);
    },
  };
}

/** Any JSON value, `null` included, as it is. */
export const anyJson: JsonCodec<unknown> = { decode: (raw) => raw };

/**
 * A union tagged by its `tag` field (a string): the variant of that name decodes the object;
 * another tag decodes as `other(tag)`, so a variant added later does not fail the body.
 */
export function taggedBy<T>(
  tag: string,
  variants: Readonly<Record<string, JsonCodec<T>>>,
  other: (tag: string) => T,
): JsonCodec<T> {
  return {
    decode(raw) {
      const name = jsonObject(raw)[tag];
      if (typeof name !== "string") {
        const problem = name === undefined
          ? new PathError("is missing", true)
          : new PathError("is not a string");
        throw at(problem, tag);
      }
      return Object.hasOwn(variants, name) ? variants[name]!.decode(raw) : other(name);
    },
  };
}
