// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { InvalidConfigError } from "../errors.ts";
import { timerMs } from "./_timer_ms.ts";
import { VERSION } from "../version.ts";
import { compact } from "../_compact.ts";
import type { WebSocketFactory } from "../transport/web_socket.ts";

/**
 * The msb-cloud endpoint used when no URL is given.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_URL, Microsandbox } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const msb = new Microsandbox({ apiKey: "msb_test_123" });
 * assert.equal(msb.url, DEFAULT_URL);
 * assert.equal(DEFAULT_URL, "https://api.microsandbox.dev");
 * ```
 */
export const DEFAULT_URL = "https://api.microsandbox.dev";

/**
 * Which msb-cloud wire to speak: `"current"` is msb-cloud API 0.1.0 (SDK 0.6.8 and later),
 * `"v0.5"` the wire of the microsandbox 0.5.8 SDK.
 *
 * @example Choosing the wire from the environment
 * ```ts
 * import { Microsandbox, type WireGeneration } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const env: Record<string, string> = { MSB_API_KEY: "msb_test_123", MSB_WIRE: "v0.5" };
 * const wire: WireGeneration = env.MSB_WIRE === "v0.5" ? "v0.5" : "current";
 * const msb = new Microsandbox({ apiKey: env.MSB_API_KEY!, wire });
 * assert.equal(msb.wire, "v0.5");
 * ```
 */
export type WireGeneration = "v0.5" | "current";

/**
 * The `fetch` the client calls; Workers service bindings and test doubles fit it.
 *
 * @example A test double that records requests
 * ```ts
 * import { type FetchLike, Microsandbox } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const requests: Request[] = [];
 * const fetch: FetchLike = (input, init) => {
 *   requests.push(new Request(input, init));
 *   return Promise.resolve(Response.json({ data: [], next_cursor: null, has_more: false }));
 * };
 * const msb = new Microsandbox({ apiKey: "msb_test_123", url: "https://msb.test", fetch });
 * await msb.sandboxes.list();
 * assert.equal(requests[0]?.method, "GET");
 * assert.equal(new URL(requests[0]!.url).pathname, "/v1/sandboxes");
 * assert.equal(requests[0]?.headers.get("authorization"), "Bearer msb_test_123");
 * ```
 *
 * @example A Workers service binding
 * ```ts ignore
 * import { Microsandbox } from "@microsandbox/edge";
 *
 * export default {
 *   async fetch(_request: Request, env: { MSB_API_KEY: string; MSB: Fetcher }): Promise<Response> {
 *     const msb = new Microsandbox({
 *       apiKey: env.MSB_API_KEY,
 *       fetch: (input, init) => env.MSB.fetch(input, init),
 *     });
 *     return Response.json(await msb.sandboxes.list());
 *   },
 * };
 * ```
 */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/**
 * How idempotent requests are retried on network errors, 429, 502, 503 and 504.
 *
 * @example Riding out a 503
 * ```ts
 * import { Microsandbox, type RetryOptions } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * // A stand-in for a cloud that is unavailable once, then answers.
 * let calls = 0;
 * const page = { data: [], next_cursor: null, has_more: false };
 * const fetch = () =>
 *   Promise.resolve(++calls === 1 ? new Response("busy", { status: 503 }) : Response.json(page));
 * const retry: RetryOptions = { attempts: 3, baseDelay: 10, maxDelay: 100 };
 * const msb = new Microsandbox({ apiKey: "msb_test_123", fetch, retry });
 * await msb.sandboxes.list();
 * assert.equal(calls, 2);
 * ```
 */
export interface RetryOptions {
  /**
   * Attempts in all, the first one included.
   * @default {4}
   */
  attempts?: number;
  /**
   * The first backoff delay in milliseconds; each retry doubles it, with jitter.
   * @default {250}
   */
  baseDelay?: number;
  /**
   * The longest backoff delay in milliseconds (a longer `Retry-After` is still honoured).
   * @default {8000}
   */
  maxDelay?: number;
  /**
   * Milliseconds after the first attempt beyond which no retry starts.
   * @default {60000}
   */
  maxElapsed?: number;
}

/**
 * Options of the {@linkcode Microsandbox} client.
 *
 * @example A self-hosted endpoint with tighter limits
 * ```ts
 * import { InvalidConfigError, Microsandbox, type MicrosandboxOptions } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const options: MicrosandboxOptions = {
 *   apiKey: "msb_test_123",
 *   url: "https://msb.internal.test/",
 *   wire: "v0.5",
 *   timeout: 10_000,
 *   userAgent: "build-bot/1.0",
 *   retry: { attempts: 2 },
 * };
 * const msb = new Microsandbox(options);
 * assert.equal(msb.url, "https://msb.internal.test");
 * assert.throws(() => new Microsandbox({ ...options, timeout: 0 }), InvalidConfigError);
 * ```
 */
export interface MicrosandboxOptions {
  /** The msb-cloud API key (`msb_…`). Trimmed; never shown in errors, URLs or logs. */
  apiKey: string;
  /**
   * The API endpoint. Trimmed, trailing slashes removed; a path prefix is kept.
   * @default {"https://api.microsandbox.dev"}
   */
  url?: string | undefined;
  /**
   * The wire generation the server speaks.
   * @default {"current"}
   */
  wire?: WireGeneration | undefined;
  /** The `fetch` to use instead of the global one. */
  fetch?: FetchLike | undefined;
  /**
   * Milliseconds each unary request may take, body included; streams have no such limit. At
   * most 2147483647, the longest a timer waits (a longer one would fire at once).
   * @default {30000}
   */
  timeout?: number | undefined;
  /**
   * The `User-Agent` header.
   * @default {"microsandbox-edge/<version> (<runtime>)"}
   */
  userAgent?: string | undefined;
  /** Retry settings, or `false` for no retries. */
  retry?: RetryOptions | false | undefined;
  /** Opens the exec WebSockets instead of the runtime's own means (see `WebSocketFactory`). */
  webSocket?: WebSocketFactory | undefined;
  /**
   * Milliseconds an exec socket may take to open, handshake included.
   * @default {10000}
   */
  connectTimeout?: number | undefined;
}

/** Options after validation, with every default filled. */
export interface ResolvedOptions {
  apiKey: string;
  url: string;
  wire: WireGeneration;
  fetch: FetchLike;
  timeout: number;
  userAgent: string;
  retry: Required<RetryOptions>;
  webSocket: WebSocketFactory | undefined;
  connectTimeout: number;
}

const DEFAULT_RETRY: Required<RetryOptions> = {
  attempts: 4,
  baseDelay: 250,
  maxDelay: 8000,
  maxElapsed: 60000,
};

const HEADER_VALUE_REGEXP = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Validates options the way the seed's builder does and fills the defaults. */
export function resolveOptions(options: MicrosandboxOptions): ResolvedOptions {
  return {
    apiKey: resolveApiKey(options.apiKey),
    url: resolveUrl(options.url ?? DEFAULT_URL),
    wire: resolveWire(options.wire ?? "current"),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeout: timerMs("timeout", options.timeout ?? 30000),
    userAgent: options.userAgent ?? defaultUserAgent(),
    retry: resolveRetry(options.retry),
    webSocket: options.webSocket,
    connectTimeout: timerMs("connectTimeout", options.connectTimeout ?? 10000),
  };
}

/** Trims the URL, strips trailing slashes and requires `http://` or `https://`. */
export function resolveUrl(raw: string): string {
  const trimmed = String(raw).trim();
  if (trimmed === "") throw new InvalidConfigError("CloudBackend URL must not be empty");
  const url = trimmed.replace(/\/+$/, "");
  if (!/^https?:\/\//i.test(url)) {
    throw new InvalidConfigError(
      `cloud backend URL must start with http:// or https://: ${url}`,
    );
  }
  return url;
}

function resolveApiKey(raw: unknown): string {
  if (raw === undefined || raw === null) {
    throw new InvalidConfigError("CloudBackend requires an API key (pass apiKey)");
  }
  const key = String(raw).trim();
  if (key === "") throw new InvalidConfigError("CloudBackend API key must not be empty");
  if (!HEADER_VALUE_REGEXP.test(key)) {
    throw new InvalidConfigError("CloudBackend API key holds characters an HTTP header cannot");
  }
  return key;
}

function resolveWire(wire: string): WireGeneration {
  if (wire === "v0.5" || wire === "current") return wire;
  throw new InvalidConfigError(`wire must be "v0.5" or "current", got "${wire}"`);
}

function resolveRetry(retry: RetryOptions | false | undefined): Required<RetryOptions> {
  if (retry === false) return { ...DEFAULT_RETRY, attempts: 1 };
  const merged = { ...DEFAULT_RETRY, ...compact(retry ?? {}) };
  positive("retry.attempts", merged.attempts);
  for (const key of ["baseDelay", "maxDelay", "maxElapsed"] as const) {
    if (!(merged[key] >= 0)) throw new InvalidConfigError(`retry.${key} must be 0 or more`);
  }
  return merged;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new InvalidConfigError(`${name} must be a positive number, got ${value}`);
  }
  return value;
}

function defaultUserAgent(): string {
  const runtime = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;
  return `microsandbox-edge/${VERSION} (${runtime?.trim() || "unknown runtime"})`;
}
