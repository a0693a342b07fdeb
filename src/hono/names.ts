// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { RouteError } from "./errors.ts";

/**
 * The longest sandbox name the routes accept.
 *
 * @example Derive a sandbox name from a branch name
 * ```ts
 * import { isValidSandboxName, MAX_SANDBOX_NAME } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const branch = "feature/" + "x".repeat(200);
 * const name = `ci-${branch.replaceAll("/", "-")}`.slice(0, MAX_SANDBOX_NAME);
 * assert.equal(name.length, 128);
 * assert.ok(isValidSandboxName(name));
 * assert.ok(!isValidSandboxName(name + "x"));
 * ```
 */
export const MAX_SANDBOX_NAME = 128;

// deno-lint-ignore no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f/\\]/;

/**
 * Whether `name` may be a sandbox name in a route: not empty, at most 128 characters, not `.` or
 * `..`, and without `/`, `\` or control characters. The routes check it (decoded, so `%2F` is a
 * `/`) before any request to the cloud.
 *
 * @param name The decoded name from the path or body.
 * @returns Whether the routes accept it.
 *
 * @example Usage
 * ```ts
 * import { isValidSandboxName } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isValidSandboxName("acme-build-42"));
 * assert.ok(!isValidSandboxName("../admin"));
 * assert.ok(!isValidSandboxName("a\nb"));
 * ```
 */
export function isValidSandboxName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_SANDBOX_NAME && name !== "." && name !== ".." &&
    !FORBIDDEN.test(name);
}

/**
 * Returns `name` if the routes accept it, else throws `invalid_request`.
 *
 * @param name The decoded name, or `undefined` when it is missing.
 * @returns The name.
 * @throws {RouteError} `invalid_request` for a missing or invalid name.
 *
 * @example Usage
 * ```ts
 * import { checkSandboxName, RouteError } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * assert.equal(checkSandboxName("build-42"), "build-42");
 * assert.throws(() => checkSandboxName("a/b"), RouteError);
 * ```
 */
export function checkSandboxName(name: unknown): string {
  if (typeof name === "string" && isValidSandboxName(name)) return name;
  throw new RouteError(
    "invalid_request",
    `A sandbox name must be 1 to ${MAX_SANDBOX_NAME} characters without "/", "\\", control characters, and not "." or "..".`,
  );
}
