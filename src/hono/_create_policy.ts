// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { SandboxSpec } from "../models/sandbox_spec.ts";
import type { ContextLike } from "./context.ts";
import type { CreateField, CreateRule } from "./create_rule.ts";
import { RouteError } from "./errors.ts";
import { invalidField, isObject, optionalInteger, requiredString } from "./_fields.ts";
import { checkSandboxName } from "./names.ts";
import { CREATE_FIELDS, specField } from "./_spec_fields.ts";

// What `POST /` asks the cloud for: the `create` option, a rule or the app's own function.

/** The function form of the `create` option: the app's spec for a body. */
export type CreateSpec<P> = (
  body: Readonly<Record<string, unknown>>,
  principal: P,
  c: ContextLike,
) => SandboxSpec | Promise<SandboxSpec>;

/** The spec for a body, with a checked name and an image; the route checks the scope. */
export type CreatePolicy<P> = (
  body: Record<string, unknown>,
  principal: P,
  c: ContextLike,
) => Promise<SandboxSpec>;

/** The bounded resources, each with the rule option that bounds it and its default. */
const BOUNDS = {
  vcpus: { option: "maxVcpus", fallback: 2 },
  memoryMib: { option: "maxMemoryMib", fallback: 2048 },
  diskSizeMib: { option: "maxDiskSizeMib", fallback: 10240 },
} as const;
type Bounded = keyof typeof BOUNDS;

const RULE_OPTIONS = new Set(["images", ...Object.values(BOUNDS).map((b) => b.option), "fields"]);
const MAX_IMAGE = 1024;
// deno-lint-ignore no-control-regex
const IMAGE = /^[^\s\u0000-\u001f\u007f]+$/;

interface Rule<P> {
  images: (image: string, principal: P, c: ContextLike) => boolean | Promise<boolean>;
  max: Record<Bounded, number>;
  fields: readonly CreateField[];
  /** Every body field the rule reads; any other is 403. */
  reads: ReadonlySet<string>;
}

/**
 * The policy of the `create` option, checked at build time: the app's function, with its
 * answer's name and image checked, or a rule (by default the default rule).
 *
 * @throws {TypeError} When the option is neither a function nor a rule, or a rule names an
 * option or field that does not exist.
 * @throws {RangeError} When a bound is not a positive integer.
 */
export function createPolicy<P>(
  option: CreateRule<P> | CreateSpec<P> | undefined,
): CreatePolicy<P> {
  if (typeof option === "function") {
    return async (body, principal, c) => checked(await option(body, principal, c));
  }
  const rule = resolveRule<P>(option === undefined ? {} : option);
  return (body, principal, c) => specByRule(rule, body, principal, c);
}

function checked(spec: SandboxSpec): SandboxSpec {
  if (!isObject(spec)) throw new TypeError("sandboxRoutes: options.create returned no spec");
  checkSandboxName(spec.name);
  requiredString(spec as unknown as Record<string, unknown>, "image");
  return spec;
}

async function specByRule<P>(
  rule: Rule<P>,
  body: Record<string, unknown>,
  principal: P,
  c: ContextLike,
): Promise<SandboxSpec> {
  const refused = Object.keys(body).find((key) => !rule.reads.has(key));
  if (refused !== undefined) {
    throw new RouteError("forbidden", `The field ${JSON.stringify(refused)} may not be set.`);
  }
  const spec: SandboxSpec = { name: checkSandboxName(body.name), image: imageOf(body) };
  if (!(await rule.images(spec.image, principal, c))) {
    throw new RouteError("forbidden", "This image is not allowed.");
  }
  for (const field of Object.keys(BOUNDS) as Bounded[]) {
    const value = optionalInteger(body, field, 1, rule.max[field]);
    if (value !== undefined) spec[field] = value;
  }
  for (const field of rule.fields) {
    const value = specField(body, field);
    if (value !== undefined) Object.assign(spec, { [field]: value });
  }
  return spec;
}

function imageOf(body: Record<string, unknown>): string {
  const image = body.image;
  if (typeof image === "string" && image.length <= MAX_IMAGE && IMAGE.test(image)) return image;
  throw invalidField(
    "image",
    `an image reference: 1 to ${MAX_IMAGE} characters without spaces or control characters`,
  );
}

function resolveRule<P>(option: unknown): Rule<P> {
  if (!isObject(option)) {
    throw new TypeError(
      "sandboxRoutes: options.create must be a rule ({ images, maxVcpus, maxMemoryMib, maxDiskSizeMib, fields }) or a function from the body, principal and context to a spec",
    );
  }
  const unknown = Object.keys(option).find((key) => !RULE_OPTIONS.has(key));
  if (unknown !== undefined) {
    throw new TypeError(
      `sandboxRoutes: options.create has no option ${JSON.stringify(unknown)}; a rule takes ${
        [...RULE_OPTIONS].join(", ")
      }`,
    );
  }
  const fields = ruleFields(option.fields);
  return {
    images: ruleImages<P>(option.images),
    max: {
      vcpus: bound(option, "vcpus"),
      memoryMib: bound(option, "memoryMib"),
      diskSizeMib: bound(option, "diskSizeMib"),
    },
    fields,
    reads: new Set(["name", "image", ...Object.keys(BOUNDS), ...fields]),
  };
}

function ruleImages<P>(images: unknown): Rule<P>["images"] {
  if (images === undefined) return () => true;
  if (typeof images === "function") return images as Rule<P>["images"];
  if (Array.isArray(images) && images.every((each) => typeof each === "string" && each !== "")) {
    const allowed = new Set<string>(images);
    return (image) => allowed.has(image);
  }
  throw new TypeError(
    "sandboxRoutes: options.create.images must be a list of image references or a function",
  );
}

function bound(option: Record<string, unknown>, field: Bounded): number {
  const { option: name, fallback } = BOUNDS[field];
  const value = option[name];
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return value;
  throw new RangeError(`sandboxRoutes: options.create.${name} must be a positive integer`);
}

function ruleFields(fields: unknown): readonly CreateField[] {
  if (fields === undefined) return [];
  if (!Array.isArray(fields)) {
    throw new TypeError("sandboxRoutes: options.create.fields must be a list of spec fields");
  }
  const wrong = fields.find((field) => !CREATE_FIELDS.has(field));
  if (wrong === undefined) return [...fields];
  throw new TypeError(
    `sandboxRoutes: options.create.fields lists ${
      JSON.stringify(wrong) ?? String(wrong)
    }, which callers may not set; the fields are ${
      [...CREATE_FIELDS].join(", ")
    } (name and image always pass; vcpus, memoryMib and diskSizeMib within maxVcpus, maxMemoryMib and maxDiskSizeMib)`,
  );
}
