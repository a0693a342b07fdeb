// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import {
  ExecFailedError,
  MicrosandboxError,
  type MicrosandboxErrorKind,
  SandboxFsOpsError,
  type SandboxFsOpsErrorKind,
  UnsupportedError,
} from "../errors.ts";
import type { ExecFailureKind } from "../protocol/payloads.ts";

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
  | "invalid_path"
  | "range_not_satisfiable"
  | "insufficient_storage"
  | "payload_too_large"
  | "unsupported_media_type"
  | "conflict"
  | "not_running"
  | "exec_failed"
  | "output_too_large"
  | "timeout"
  | "rate_limited"
  | "unsupported"
  | "upstream_error"
  | "connection_refused"
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
    /**
     * For `exec_failed`, why the command could not start: `not_found`, `permission_denied`,
     * `not_executable`, `bad_cwd`, `bad_args`, `resource_limit`, `user_setup_failed`,
     * `out_of_memory`, `pty_setup_failed` or `other`. For a failure of the file routes in the
     * sandbox, why: `not_found`, `is_a_directory`, `not_a_directory`, `permission_denied`,
     * `already_exists`, `directory_not_empty`, `read_only`, `invalid_input`, `no_space` or
     * `other`.
     */
    kind?: string;
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
  invalid_path: 400,
  range_not_satisfiable: 416,
  insufficient_storage: 507,
  payload_too_large: 413,
  unsupported_media_type: 415,
  conflict: 409,
  not_running: 409,
  exec_failed: 422,
  output_too_large: 413,
  timeout: 504,
  rate_limited: 429,
  unsupported: 501,
  upstream_error: 502,
  connection_refused: 502,
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
  /** For `exec_failed`, why the command could not start (see {@linkcode RouteErrorBody}). */
  readonly kind: string | undefined;

  /**
   * Builds the error.
   *
   * @param code The stable code.
   * @param message A sentence for the client; it must hold no secret.
   * @param options The cause, kept for the server's own logs, and the `kind` of an
   * `exec_failed`.
   */
  constructor(
    code: RouteErrorCode,
    message: string,
    options?: { cause?: unknown; kind?: string | undefined },
  ) {
    super(message, options);
    this.name = "RouteError";
    this.code = code;
    this.kind = options?.kind;
  }

  /** The HTTP status of the code. */
  get status(): number {
    return ROUTE_ERROR_STATUS[this.code];
  }

  /**
   * The JSON body the routes answer.
   *
   * @returns `{ error: { code, message } }`, and `kind` when there is one.
   */
  toJSON(): RouteErrorBody {
    const error: RouteErrorBody["error"] = { code: this.code, message: this.message };
    if (this.kind !== undefined) error.kind = this.kind;
    return { error };
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
  SandboxNotRunning: "not_running",
  OutputLimit: "output_too_large",
  ExecFailed: "exec_failed",
  ConnectionRefused: "connection_refused",
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
  ConnectionRefused: "Nothing listens on this port in the sandbox; start the server first.",
};

/**
 * What a thrown value means to the client. A {@linkcode RouteError} stays as it is; a
 * `MicrosandboxError` becomes the code of its kind with a message of ours (never its own, which
 * may quote the cloud), a `SandboxFsOpsError` the code of its `failureKind` (with that `kind`);
 * anything else is `internal` with a generic message.
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
  if (error instanceof SandboxFsOpsError) {
    const [code, message] = FS_FAILURES[error.failureKind] ?? FS_FAILURES.other;
    return new RouteError(code, message, { cause: error, kind: error.failureKind });
  }
  const code = KIND_CODES[error.kind] ?? "upstream_error";
  const kind = error instanceof ExecFailedError ? failureKind(error) : undefined;
  return new RouteError(code, messageOf(error), { cause: error, kind });
}

/** The code and words of each kind of failed file operation (never the agent's own words). */
const FS_FAILURES: Readonly<Record<SandboxFsOpsErrorKind, readonly [RouteErrorCode, string]>> = {
  not_found: ["not_found", "No file or directory has this path in the sandbox."],
  is_a_directory: ["conflict", "This path is a directory in the sandbox."],
  not_a_directory: ["conflict", "This path, or one of its parents, is not a directory."],
  permission_denied: ["forbidden", "The sandbox denied access to this path."],
  already_exists: ["conflict", "Something exists at this path already."],
  directory_not_empty: ["conflict", "The directory is not empty; remove it with ?recursive."],
  read_only: ["forbidden", "This path is on a read-only filesystem in the sandbox."],
  invalid_input: ["invalid_request", "The sandbox refused this file operation as invalid."],
  invalid_path: ["invalid_path", "The cloud refused this path."],
  no_space: ["insufficient_storage", "The sandbox has no space left for this file."],
  other: ["upstream_error", "The sandbox failed the file operation."],
};

/** What each kind of failed start means, in words for the caller. */
const FAILURES: Readonly<Record<ExecFailureKind, string>> = {
  not_found: "the program was not found.",
  permission_denied: "permission to run it was denied.",
  not_executable: "the file is not an executable.",
  bad_cwd: "the working directory does not exist or is not a directory.",
  bad_args: "the arguments or the environment are not valid.",
  resource_limit: "a resource limit could not be set.",
  user_setup_failed: "the user could not be set up.",
  out_of_memory: "the sandbox is out of memory.",
  pty_setup_failed: "the terminal could not be set up.",
  other: "the sandbox refused it.",
};

/** The kind of a failed start, `other` for one this library does not know (never cloud text). */
function failureKind(error: ExecFailedError): ExecFailureKind {
  return Object.hasOwn(FAILURES, error.failureKind)
    ? error.failureKind as ExecFailureKind
    : "other";
}

function messageOf(error: MicrosandboxError): string {
  const known = KIND_MESSAGES[error.kind];
  if (known) return known;
  if (error instanceof UnsupportedError) {
    return `${error.feature} is not supported by this microsandbox backend.`;
  }
  if (error instanceof ExecFailedError) {
    return `The command could not start: ${FAILURES[failureKind(error)]}`;
  }
  const status = error.status === undefined ? "" : `, status ${error.status}`;
  return `The microsandbox cloud failed (${error.kind}${status}).`;
}
