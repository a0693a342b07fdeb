// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import {
  ExecFailedError,
  MicrosandboxError,
  type MicrosandboxErrorKind,
  UnsupportedError,
} from "../errors.ts";

/**
 * The stable code of every refusal or failure the sandbox routes answer.
 *
 * @example Decide on the client which failures to retry
 * ```ts
 * import { ROUTE_ERROR_STATUS, type RouteErrorCode } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const RETRYABLE: readonly RouteErrorCode[] = ["rate_limited", "timeout", "upstream_error"];
 * const shouldRetry = (code: RouteErrorCode): boolean => RETRYABLE.includes(code);
 *
 * assert.ok(shouldRetry("rate_limited"));
 * assert.ok(!shouldRetry("forbidden"));
 * assert.deepEqual(RETRYABLE.map((code) => ROUTE_ERROR_STATUS[code]), [429, 504, 502]);
 * ```
 */
export type RouteErrorCode =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "invalid_request"
  | "payload_too_large"
  | "conflict"
  | "timeout"
  | "rate_limited"
  | "unsupported"
  | "upstream_error"
  | "internal";

/**
 * The JSON body of every refusal or failure: `{ error: { code, message } }`.
 *
 * @example Turn a failed answer into an error on the client
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type RouteErrorBody, sandboxRoutes } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * async function failure(response: Response): Promise<Error> {
 *   const { error }: RouteErrorBody = await response.json();
 *   return new Error(`${error.code}: ${error.message}`);
 * }
 *
 * const client = new Microsandbox({ apiKey: "msb_test_123", url: "https://cloud.test" });
 * const app = new Hono().route("/", sandboxRoutes({ authorize: () => null, client }));
 * const response = await app.request("/");
 * assert.match((await failure(response)).message, /^unauthorized: /);
 * ```
 */
export interface RouteErrorBody {
  /** What went wrong. */
  error: {
    /** The stable code. */
    code: RouteErrorCode;
    /** A sentence for humans; never the API key or an upstream body. */
    message: string;
  };
}

/**
 * The HTTP status of each error code.
 *
 * @example Usage
 * ```ts
 * import { ROUTE_ERROR_STATUS } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ROUTE_ERROR_STATUS.payload_too_large, 413);
 * ```
 */
export const ROUTE_ERROR_STATUS: Readonly<Record<RouteErrorCode, number>> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_request: 400,
  payload_too_large: 413,
  conflict: 409,
  timeout: 504,
  rate_limited: 429,
  unsupported: 501,
  upstream_error: 502,
  internal: 500,
};

/**
 * A refusal or failure of a sandbox route, with its stable code; the routes answer it as JSON
 * with the code's status.
 *
 * @example Usage
 * ```ts
 * import { RouteError } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const error = new RouteError("forbidden", "This command is not allowed.");
 * assert.equal(error.status, 403);
 * assert.deepEqual(error.toJSON(), {
 *   error: { code: "forbidden", message: "This command is not allowed." },
 * });
 * ```
 */
export class RouteError extends Error {
  /** The stable code. */
  readonly code: RouteErrorCode;

  /**
   * Builds the error.
   *
   * @param code The stable code.
   * @param message A sentence for the client; it must hold no secret.
   * @param options The cause, kept for the server's own logs.
   */
  constructor(code: RouteErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RouteError";
    this.code = code;
  }

  /** The HTTP status of the code. */
  get status(): number {
    return ROUTE_ERROR_STATUS[this.code];
  }

  /**
   * The JSON body the routes answer.
   *
   * @returns `{ error: { code, message } }`.
   */
  toJSON(): RouteErrorBody {
    return { error: { code: this.code, message: this.message } };
  }

  /**
   * The JSON response of this error.
   *
   * @returns The response, with the code's status.
   */
  toResponse(): Response {
    return Response.json(this.toJSON(), { status: this.status });
  }
}

const KIND_CODES: Partial<Record<MicrosandboxErrorKind, RouteErrorCode>> = {
  SandboxNotFound: "not_found",
  SandboxAlreadyExists: "conflict",
  Conflict: "conflict",
  InvalidConfig: "invalid_request",
  InvalidCursor: "invalid_request",
  RateLimited: "rate_limited",
  Unsupported: "unsupported",
  ExecTimeout: "timeout",
  SandboxNotRunning: "conflict",
  OutputLimit: "payload_too_large",
};

const KIND_MESSAGES: Partial<Record<MicrosandboxErrorKind, string>> = {
  SandboxNotFound: "No sandbox has this name.",
  SandboxAlreadyExists: "A sandbox with this name exists already.",
  Conflict: "The sandbox is not in a state that allows this; refresh it and try again.",
  InvalidConfig: "The microsandbox cloud refused the request as invalid.",
  InvalidCursor: "The log cursor is not valid; start again without one.",
  RateLimited: "The microsandbox cloud is rate limiting requests; try again later.",
  ExecTimeout: "The command ran past its time limit and was killed.",
  SandboxNotRunning: "The sandbox is not running; start it and try again.",
  OutputLimit: "The command's output went past its limit and the command was killed.",
};

/**
 * What a thrown value means to the client. A {@linkcode RouteError} stays as it is; a
 * `MicrosandboxError` becomes the code of its kind with a message of ours (never its own, which
 * may quote the cloud); anything else is `internal` with a generic message.
 *
 * @param error What was thrown.
 * @returns The error to answer.
 *
 * @example Usage
 * ```ts
 * import { toRouteError } from "@microsandbox/edge/hono";
 * import { SandboxNotFoundError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.equal(toRouteError(new SandboxNotFoundError("gone")).code, "not_found");
 * assert.equal(toRouteError(new Error("secret detail")).message, "Internal error.");
 * ```
 */
export function toRouteError(error: unknown): RouteError {
  if (error instanceof RouteError) return error;
  if (!(error instanceof MicrosandboxError)) {
    return new RouteError("internal", "Internal error.", { cause: error });
  }
  const code = KIND_CODES[error.kind] ?? "upstream_error";
  return new RouteError(code, messageOf(error), { cause: error });
}

function messageOf(error: MicrosandboxError): string {
  const known = KIND_MESSAGES[error.kind];
  if (known) return known;
  if (error instanceof UnsupportedError) {
    return `${error.feature} is not supported by this microsandbox backend.`;
  }
  if (error instanceof ExecFailedError) {
    return `The command could not start (${error.failureKind}).`;
  }
  const status = error.status === undefined ? "" : `, status ${error.status}`;
  return `The microsandbox cloud failed (${error.kind}${status}).`;
}
