// Test helpers: plain `fetch` calls against a local cloud, each checking that the API key never
// comes back in a response body, plus the path encoder the SDKs use (protocol.md §2.1).
import assert from "node:assert/strict";
import type { LocalCloud, WireGeneration } from "../../src/testing/mod.ts";

/** A response with its body read. */
export interface Reply {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any -- tests read arbitrary JSON fields.
  json: any;
  text: string;
}

/** Options of {@linkcode call}. */
export interface CallOptions {
  body?: unknown;
  /** The raw body, sent as is. */
  rawBody?: string;
  /** The Authorization header; the cloud's key when absent, none when `null`. */
  authorization?: string | null;
}

/**
 * Calls the cloud and reads the whole response.
 *
 * @param cloud The cloud.
 * @param method The HTTP method.
 * @param path The path and query, starting with `/`.
 * @param options Body and authorization.
 * @returns The status, headers and body.
 */
export async function call(
  cloud: LocalCloud,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const authorization = options.authorization === undefined
    ? `Bearer ${cloud.apiKey}`
    : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const body = options.rawBody ??
    (options.body === undefined ? null : JSON.stringify(options.body));
  const res = await fetch(cloud.url + path, { method, headers, body });
  const text = await res.text();
  assert.ok(!text.includes(cloud.apiKey), `the API key leaked in ${method} ${path}`);
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the test looks at `text`.
  }
  return { status: res.status, headers: res.headers, json, text };
}

/**
 * Asserts an error reply: status, code, and the nested `application/json` error body.
 *
 * @param reply The reply.
 * @param status The expected status.
 * @param code The expected error code.
 */
export function assertError(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.headers.get("content-type"), "application/json");
  assert.equal(reply.json.error.code, code, reply.text);
  assert.equal(typeof reply.json.error.message, "string");
  assert.ok(reply.json.error.message.length > 0);
  assert.equal(reply.json.error.details, null);
}

/**
 * Percent-encodes a path segment as the SDKs do: every byte outside `A-Z a-z 0-9 - . _ ~`.
 *
 * @param segment The name or id.
 * @returns The encoded segment.
 */
export function encodeSegment(segment: string): string {
  return Array.from(new TextEncoder().encode(segment), (byte) => {
    const char = String.fromCharCode(byte);
    return /[A-Za-z0-9\-._~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");
}

/**
 * A minimal create body in the generation's shape.
 *
 * @param generation The wire generation.
 * @param name The sandbox name.
 * @returns The body.
 */
export function createBody(generation: WireGeneration, name: string): Record<string, unknown> {
  return generation === "current"
    ? { name, image: { type: "oci", reference: "alpine" } }
    : { name, image: "alpine" };
}

/**
 * Creates a sandbox and asserts success.
 *
 * @param cloud The cloud.
 * @param name The sandbox name.
 * @param query The query string, e.g. `?start=true`.
 * @returns The created sandbox JSON.
 */
// deno-lint-ignore no-explicit-any -- tests read arbitrary JSON fields.
export async function create(cloud: LocalCloud, name: string, query = ""): Promise<any> {
  const reply = await call(cloud, "POST", `/v1/sandboxes${query}`, {
    body: createBody(cloud.generation, name),
  });
  assert.equal(reply.status, 200, reply.text);
  return reply.json;
}

/**
 * Reads a sandbox's status by name.
 *
 * @param cloud The cloud.
 * @param name The sandbox name.
 * @returns Its status.
 */
export async function statusOf(cloud: LocalCloud, name: string): Promise<string> {
  const reply = await call(cloud, "GET", `/v1/sandboxes/by-name/${encodeSegment(name)}`);
  assert.equal(reply.status, 200, reply.text);
  return reply.json.status;
}

/**
 * Polls until a sandbox has the status (for at most two seconds).
 *
 * @param cloud The cloud.
 * @param name The sandbox name.
 * @param status The status to wait for.
 */
export async function waitForStatus(
  cloud: LocalCloud,
  name: string,
  status: string,
): Promise<void> {
  const deadline = performance.now() + 2000;
  let current = await statusOf(cloud, name);
  while (current !== status && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    current = await statusOf(cloud, name);
  }
  assert.equal(current, status);
}
