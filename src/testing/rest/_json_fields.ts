/**
 * Typed reads of request-body fields with 400 errors that name the offending field, so both wire
 * generations validate their bodies the same way. A field that is absent or `null` reads as
 * `undefined`, as serde's `Option` does.
 *
 * @module
 */

import { invalidRequest } from "../app/_error_body.ts";
import type { JsonObject } from "./_sandbox_record.ts";

/** Reads the fields of one JSON object of a request body. */
export class JsonFields {
  /** The object being read. */
  readonly value: JsonObject;
  readonly #path: string;

  /**
   * Wraps an object.
   *
   * @param value The object.
   * @param path Its dotted path in the body, for messages (`""` for the body itself).
   */
  constructor(value: JsonObject, path: string) {
    this.value = value;
    this.#path = path;
  }

  /**
   * Wraps a parsed request body, which must be a JSON object.
   *
   * @param body The parsed body.
   * @returns The reader.
   */
  static root(body: unknown): JsonFields {
    if (!isObject(body)) throw invalidRequest("Cannot read the request body: send a JSON object");
    return new JsonFields(body, "");
  }

  /**
   * The dotted path of a field, for messages.
   *
   * @param key The field name.
   * @returns e.g. `resources.vcpus`.
   */
  path(key: string): string {
    return this.#path ? `${this.#path}.${key}` : key;
  }

  /**
   * A field's value, `undefined` when absent or `null`.
   *
   * @param key The field name.
   * @returns The raw value.
   */
  raw(key: string): unknown {
    return this.value[key] ?? undefined;
  }

  /**
   * A string field.
   *
   * @param key The field name.
   * @returns The string, or `undefined`.
   */
  string(key: string): string | undefined {
    return this.#typed(key, (v): v is string => typeof v === "string", "a string");
  }

  /**
   * Requires a field that one of the typed reads returned.
   *
   * @param key The field name.
   * @param value What the typed read returned.
   * @returns The value.
   * @throws {ApiError} 400 `invalid_request` when it is `undefined`.
   */
  need<T>(key: string, value: T | undefined): T {
    if (value === undefined) {
      throw invalidRequest(`Cannot accept the request: \`${this.path(key)}\` is required`);
    }
    return value;
  }

  /**
   * A required, non-empty string field.
   *
   * @param key The field name.
   * @returns The string.
   */
  requiredString(key: string): string {
    const value = this.string(key);
    if (value) return value;
    throw invalidRequest(
      `Cannot accept the request: \`${this.path(key)}\` must be a non-empty string`,
    );
  }

  /**
   * A boolean field.
   *
   * @param key The field name.
   * @returns The boolean, or `undefined`.
   */
  boolean(key: string): boolean | undefined {
    return this.#typed(key, (v): v is boolean => typeof v === "boolean", "a boolean");
  }

  /**
   * An integer field within bounds.
   *
   * @param key The field name.
   * @param max The largest accepted value (the smallest is 0).
   * @returns The integer, or `undefined`.
   */
  integer(key: string, max: number = Number.MAX_SAFE_INTEGER): number | undefined {
    const isInRange = (v: unknown): v is number =>
      typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max;
    return this.#typed(key, isInRange, `an integer from 0 to ${max}`);
  }

  /**
   * An array of strings.
   *
   * @param key The field name.
   * @returns The array, or `undefined`.
   */
  strings(key: string): string[] | undefined {
    const isStrings = (v: unknown): v is string[] =>
      Array.isArray(v) && v.every((s) => typeof s === "string");
    return this.#typed(key, isStrings, "an array of strings");
  }

  /**
   * An object whose values are all strings.
   *
   * @param key The field name.
   * @returns The object, or `undefined`.
   */
  stringMap(key: string): Record<string, string> | undefined {
    return this.#typed(key, isStringMap, "an object of strings");
  }

  /**
   * An array.
   *
   * @param key The field name.
   * @returns The array, or `undefined`.
   */
  array(key: string): unknown[] | undefined {
    return this.#typed(key, (v): v is unknown[] => Array.isArray(v), "an array");
  }

  /**
   * One of a set of strings.
   *
   * @param key The field name.
   * @param choices The accepted values.
   * @returns The value, or `undefined`.
   */
  choice<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const isChoice = (v: unknown): v is T => choices.includes(v as T);
    return this.#typed(key, isChoice, `one of ${choices.map((c) => `"${c}"`).join(", ")}`);
  }

  /**
   * A nested object.
   *
   * @param key The field name.
   * @returns A reader of the object, or `undefined`.
   */
  object(key: string): JsonFields | undefined {
    const value = this.#typed(key, isObject, "an object");
    return value && new JsonFields(value, this.path(key));
  }

  /**
   * Each element of an array field, read as an object.
   *
   * @param key The field name.
   * @returns A reader per element (none when the field is absent).
   */
  objects(key: string): JsonFields[] {
    return (this.array(key) ?? []).map((item, i) => {
      const path = `${this.path(key)}[${i}]`;
      if (!isObject(item)) throw invalidRequest(`Cannot accept \`${path}\`: expected an object`);
      return new JsonFields(item, path);
    });
  }

  /**
   * Refuses keys outside `keys`, for the contract's `deny_unknown_fields` objects.
   *
   * @param keys The accepted keys.
   * @throws {ApiError} 400 `invalid_request` naming the first unknown field.
   */
  only(keys: readonly string[]): void {
    const unknown = Object.keys(this.value).find((key) => !keys.includes(key));
    if (unknown !== undefined) {
      throw invalidRequest(`Cannot accept \`${this.path(unknown)}\`: unknown field`);
    }
  }

  #typed<T>(key: string, is: (v: unknown) => v is T, expected: string): T | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (!is(value)) {
      throw invalidRequest(`Cannot accept \`${this.path(key)}\`: expected ${expected}`);
    }
    return value;
  }
}

/**
 * Whether a value is a plain JSON object (not an array, not `null`).
 *
 * @param value The value.
 * @returns `true` for objects.
 */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether a value is an object whose values are all strings.
 *
 * @param value The value.
 * @returns `true` for string maps.
 */
export function isStringMap(value: unknown): value is Record<string, string> {
  return isObject(value) && Object.values(value).every((v) => typeof v === "string");
}
