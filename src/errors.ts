// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * Every failure this library reports is a {@linkcode MicrosandboxError}; its `kind` tells which
 * one, and each kind has its own subclass for `instanceof` checks.
 *
 * @module
 */

/**
 * The discriminant of {@linkcode MicrosandboxError}.
 *
 * @example Which failures are worth another try
 * ```ts
 * import {
 *   ConnectionError,
 *   MicrosandboxError,
 *   type MicrosandboxErrorKind,
 *   SandboxNotFoundError,
 * } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const TRANSIENT: readonly MicrosandboxErrorKind[] = [
 *   "RateLimited",
 *   "Connection",
 *   "Timeout",
 *   "StreamStalled",
 * ];
 * function worthRetrying(error: unknown): boolean {
 *   return error instanceof MicrosandboxError && TRANSIENT.includes(error.kind);
 * }
 * assert.ok(worthRetrying(new ConnectionError("GET /v1/sandboxes: connection refused")));
 * assert.ok(!worthRetrying(new SandboxNotFoundError("GET /v1/sandboxes/by-name/:name: gone")));
 * ```
 */
export type MicrosandboxErrorKind =
  | "SandboxNotFound"
  | "SandboxAlreadyExists"
  | "InvalidConfig"
  | "Runtime"
  | "CloudHttp"
  | "Unsupported"
  | "Protocol"
  | "Authentication"
  | "RateLimited"
  | "Conflict"
  | "Connection"
  | "Timeout"
  | "ExecFailed"
  | "ExecTimeout"
  | "InvalidCursor"
  | "StreamStalled"
  | "SandboxNotRunning"
  | "OutputLimit"
  | "VolumeNotFound"
  | "VolumeAlreadyExists"
  | "SandboxFsOps"
  | "EventNotFound"
  | "ConnectionRefused";

/**
 * What an HTTP error carries besides its message.
 *
 * @example The details of a failed create
 * ```ts
 * import { type HttpErrorDetails, RuntimeError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const details: HttpErrorDetails = {
 *   status: 502,
 *   code: "orchestrator_unreachable",
 *   body: '{"error":{"code":"orchestrator_unreachable"}}',
 *   operation: "POST /v1/sandboxes",
 * };
 * const error = new RuntimeError("POST /v1/sandboxes: orchestrator unreachable", details);
 * assert.equal(error.status, 502);
 * assert.equal(error.code, "orchestrator_unreachable");
 * assert.equal(error.operation, "POST /v1/sandboxes");
 * ```
 */
export interface HttpErrorDetails {
  /** The HTTP status of the response. */
  status: number;
  /** The error code from the response body (`error.code` or `code`), if any. */
  code?: string | undefined;
  /** The raw response body, at most 64 KiB of it, with the API key redacted. */
  body?: string | undefined;
  /** The operation, such as `GET /v1/sandboxes/by-name/:name`. */
  operation?: string | undefined;
}

/**
 * Options of every {@linkcode MicrosandboxError} constructor.
 *
 * @example Keeping the cause
 * ```ts
 * import { type MicrosandboxErrorOptions, ProtocolError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * function decode(text: string): unknown {
 *   try {
 *     return JSON.parse(text);
 *   } catch (cause) {
 *     const options: MicrosandboxErrorOptions = {
 *       cause,
 *       status: 200,
 *       operation: "GET /v1/sandboxes",
 *     };
 *     throw new ProtocolError("GET /v1/sandboxes: failed to decode body", options);
 *   }
 * }
 * assert.throws(() => decode("{"), (error: ProtocolError) => error.cause instanceof SyntaxError);
 * ```
 */
export interface MicrosandboxErrorOptions extends Partial<HttpErrorDetails> {
  /** The error that caused this one. */
  cause?: unknown;
}

/**
 * The base class of every error this library throws.
 *
 * `status`, `code` and `body` are set when the error comes from an HTTP response. No message, body
 * or field ever holds the API key.
 *
 * @example Telling errors apart
 * ```ts
 * import { MicrosandboxError, SandboxNotFoundError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const error: unknown = new SandboxNotFoundError("GET /v1/sandboxes/by-name/:name: gone", {
 *   status: 404,
 * });
 * assert.ok(error instanceof MicrosandboxError);
 * assert.equal(error.kind, "SandboxNotFound");
 * assert.equal(error.status, 404);
 * ```
 */
export class MicrosandboxError extends Error {
  /** Which failure this is. */
  readonly kind: MicrosandboxErrorKind;
  /** The HTTP status, when the error comes from a response. */
  readonly status: number | undefined;
  /** The error code of the response body, when it has one. */
  readonly code: string | undefined;
  /** The raw response body (at most 64 KiB, API key redacted), when there was one. */
  readonly body: string | undefined;
  /** The operation that failed, such as `POST /v1/sandboxes`. */
  readonly operation: string | undefined;

  /**
   * Builds an error of the given kind.
   *
   * @param kind Which failure this is.
   * @param message What failed, in sentence case.
   * @param options The HTTP details and the cause.
   */
  constructor(
    kind: MicrosandboxErrorKind,
    message: string,
    options: MicrosandboxErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "MicrosandboxError";
    this.kind = kind;
    this.status = options.status;
    this.code = options.code;
    this.body = options.body;
    this.operation = options.operation;
  }
}

/**
 * The sandbox does not exist (HTTP 404 or code `sandbox_not_found`).
 *
 * @example Usage
 * ```ts
 * import { SandboxNotFoundError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new SandboxNotFoundError("gone").kind, "SandboxNotFound");
 * ```
 */
export class SandboxNotFoundError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What failed.
   * @param options The HTTP details and the cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("SandboxNotFound", message, options);
    this.name = "SandboxNotFoundError";
  }
}

/**
 * A sandbox with that name exists already (code `name_already_exists`, or 409 on create).
 *
 * @example Usage
 * ```ts
 * import { SandboxAlreadyExistsError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new SandboxAlreadyExistsError("taken").kind, "SandboxAlreadyExists");
 * ```
 */
export class SandboxAlreadyExistsError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What failed.
   * @param options The HTTP details and the cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("SandboxAlreadyExists", message, options);
    this.name = "SandboxAlreadyExistsError";
  }
}

/**
 * The configuration or the request is invalid (bad options, 400, 422, `invalid_request`), or a
 * call the object's state does not allow, such as reading a process's `events` after its `stdout`.
 *
 * @example Usage
 * ```ts
 * import { InvalidConfigError, Microsandbox } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => new Microsandbox({ apiKey: " " }), InvalidConfigError);
 * ```
 */
export class InvalidConfigError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What is invalid.
   * @param options The HTTP details and the cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("InvalidConfig", message, options);
    this.name = "InvalidConfigError";
  }
}

/**
 * The cloud failed to run the sandbox (502, `orchestrator_unreachable`, a failed start).
 *
 * @example Usage
 * ```ts
 * import { RuntimeError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new RuntimeError("boot failed").kind, "Runtime");
 * ```
 */
export class RuntimeError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What failed.
   * @param options The HTTP details and the cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("Runtime", message, options);
    this.name = "RuntimeError";
  }
}

/**
 * An HTTP error that no other kind describes (500, 503, …); `status` and `code` tell more.
 *
 * @example Usage
 * ```ts
 * import { CloudHttpError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const error = new CloudHttpError("GET /v1/sandboxes: oops", { status: 500 });
 * assert.equal(error.status, 500);
 * ```
 */
export class CloudHttpError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What failed.
   * @param options The HTTP details and the cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("CloudHttp", message, options);
    this.name = "CloudHttpError";
  }
}

/**
 * The API key was refused (401 or 403).
 *
 * @example Usage
 * ```ts
 * import { AuthenticationError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new AuthenticationError("bad key", { status: 401 }).kind, "Authentication");
 * ```
 */
export class AuthenticationError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What failed.
   * @param options The HTTP details and the cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("Authentication", message, options);
    this.name = "AuthenticationError";
  }
}

/**
 * The request conflicts with the sandbox's state (409 outside create, such as stopping a stopped
 * sandbox).
 *
 * @example Usage
 * ```ts
 * import { ConflictError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new ConflictError("not running", { status: 409 }).kind, "Conflict");
 * ```
 */
export class ConflictError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What failed.
   * @param options The HTTP details and the cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("Conflict", message, options);
    this.name = "ConflictError";
  }
}

/**
 * Options of {@linkcode RateLimitedError}.
 *
 * @example From a 429 response
 * ```ts
 * import { RateLimitedError, type RateLimitedErrorOptions } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const response = new Response(null, { status: 429, headers: { "retry-after": "2" } });
 * const options: RateLimitedErrorOptions = {
 *   status: response.status,
 *   retryAfter: Number(response.headers.get("retry-after")) * 1000,
 *   operation: "POST /v1/sandboxes",
 * };
 * const error = new RateLimitedError("POST /v1/sandboxes: rate limited", options);
 * assert.equal(error.retryAfter, 2000);
 * ```
 */
export interface RateLimitedErrorOptions extends MicrosandboxErrorOptions {
  /** Milliseconds the server asked to wait (`Retry-After`), if it said. */
  retryAfter?: number | undefined;
}

/**
 * The server refused the request for now (429) and retries did not get through.
 *
 * @example Usage
 * ```ts
 * import { RateLimitedError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const error = new RateLimitedError("slow down", { status: 429, retryAfter: 2000 });
 * assert.equal(error.retryAfter, 2000);
 * ```
 */
export class RateLimitedError extends MicrosandboxError {
  /** Milliseconds the server asked to wait (`Retry-After`), if it said. */
  readonly retryAfter: number | undefined;

  /**
   * Builds the error.
   *
   * @param message What failed.
   * @param options The HTTP details, `retryAfter` and the cause.
   */
  constructor(message: string, options: RateLimitedErrorOptions = {}) {
    super("RateLimited", message, options);
    this.name = "RateLimitedError";
    this.retryAfter = options.retryAfter;
  }
}

/**
 * Options of {@linkcode UnsupportedError}.
 *
 * @example A feature a wire cannot express
 * ```ts
 * import { UnsupportedError, type UnsupportedErrorOptions } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const options: UnsupportedErrorOptions = {
 *   feature: "labels on the v0.5 wire",
 *   availableWhen: 'with wire: "current"',
 * };
 * const error = new UnsupportedError(options);
 * assert.equal(error.feature, "labels on the v0.5 wire");
 * assert.match(error.message, /not supported by this backend yet; available with wire/);
 * ```
 */
export interface UnsupportedErrorOptions extends MicrosandboxErrorOptions {
  /** The feature that is not supported. */
  feature: string;
  /** When it becomes available, such as `when cloud volumes ship`. */
  availableWhen: string;
}

/**
 * The feature is not available with this wire generation or runtime. The message reads
 * `<feature> is not supported by this backend yet; available <availableWhen>`.
 *
 * @example Usage
 * ```ts
 * import { UnsupportedError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const error = new UnsupportedError({ feature: "cmd", availableWhen: "when cmd lands on the cloud API" });
 * assert.equal(error.message, "cmd is not supported by this backend yet; available when cmd lands on the cloud API");
 * ```
 */
export class UnsupportedError extends MicrosandboxError {
  /** The feature that is not supported. */
  readonly feature: string;
  /** When it becomes available. */
  readonly availableWhen: string;

  /**
   * Builds the error and its message.
   *
   * @param options The feature, when it becomes available, and the cause.
   */
  constructor(options: UnsupportedErrorOptions) {
    super(
      "Unsupported",
      `${options.feature} is not supported by this backend yet; available ${options.availableWhen}`,
      options,
    );
    this.name = "UnsupportedError";
    this.feature = options.feature;
    this.availableWhen = options.availableWhen;
  }
}

/**
 * The server answered something this library cannot read (a 2xx body that is not the expected
 * JSON, a body over its size limit).
 *
 * @example Usage
 * ```ts
 * import { ProtocolError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new ProtocolError("GET /v1/sandboxes: failed to decode body").kind, "Protocol");
 * ```
 */
export class ProtocolError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What could not be read.
   * @param options The HTTP details and the cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("Protocol", message, options);
    this.name = "ProtocolError";
  }
}

/**
 * The request did not reach the server or its answer was cut (DNS, refused or reset connection).
 *
 * @example Usage
 * ```ts
 * import { ConnectionError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new ConnectionError("GET /v1/sandboxes: connection refused").kind, "Connection");
 * ```
 */
export class ConnectionError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What failed.
   * @param options The cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("Connection", message, options);
    this.name = "ConnectionError";
  }
}

/**
 * A unary request took longer than its timeout. Its `name` is `"TimeoutError"`, like the
 * `DOMException` that `AbortSignal.timeout` raises, which is its `cause`.
 *
 * @example Usage
 * ```ts
 * import { TimeoutError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const error = new TimeoutError("GET /v1/sandboxes: timed out after 30000 ms");
 * assert.equal(error.name, "TimeoutError");
 * ```
 */
export class TimeoutError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What timed out.
   * @param options The cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("Timeout", message, options);
    this.name = "TimeoutError";
  }
}

/**
 * Options of {@linkcode ExecFailedError}: what the agent said of the failed spawn.
 *
 * @example A failed spawn in a test double
 * ```ts
 * import {
 *   type ExecEvent,
 *   ExecFailedError,
 *   type ExecFailedErrorOptions,
 * } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * // What the agent reports when the working directory does not exist.
 * const options: ExecFailedErrorOptions = {
 *   failureKind: "bad_cwd",
 *   errno: 2,
 *   errnoName: "ENOENT",
 *   stage: "chdir",
 * };
 * const error = new ExecFailedError("exec failed: no such directory /workspace", options);
 * assert.equal(error.failureKind, "bad_cwd");
 * assert.equal(error.errnoName, "ENOENT");
 * // What the double's `process.events` then yields, before `exited` rejects with `error`.
 * const event: ExecEvent = { type: "failed", error };
 * ```
 */
export interface ExecFailedErrorOptions extends MicrosandboxErrorOptions {
  /** Why the command could not start, such as `not_found` or `bad_cwd`. */
  failureKind: string;
  /** The `errno` of the failing call, when there was one. */
  errno?: number | null | undefined;
  /** Its symbolic name, such as `ENOENT`. */
  errnoName?: string | null | undefined;
  /** The step that failed, such as `execvp`. */
  stage?: string | null | undefined;
}

/**
 * The command could not start in the sandbox (`core.exec.failed`). `failureKind` says why
 * (`not_found`, `permission_denied`, `not_executable`, `bad_cwd`, `bad_args`, `resource_limit`,
 * `user_setup_failed`, `out_of_memory`, `pty_setup_failed`, `other`); `kind` stays the error's own
 * discriminant, `"ExecFailed"`.
 *
 * @example Usage
 * ```ts
 * import { ExecFailedError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const error = new ExecFailedError("exec failed: no such command", {
 *   failureKind: "not_found",
 *   errno: 2,
 *   errnoName: "ENOENT",
 *   stage: "execvp",
 * });
 * assert.equal(error.failureKind, "not_found");
 * ```
 */
export class ExecFailedError extends MicrosandboxError {
  /** Why the command could not start. */
  readonly failureKind: string;
  /** The `errno` of the failing call, or `null`. */
  readonly errno: number | null;
  /** Its symbolic name, or `null`. */
  readonly errnoName: string | null;
  /** The step that failed, or `null`. */
  readonly stage: string | null;

  /**
   * Builds the error.
   *
   * @param message What failed.
   * @param options The failure kind, errno, errno name and stage.
   */
  constructor(message: string, options: ExecFailedErrorOptions) {
    super("ExecFailed", message, options);
    this.name = "ExecFailedError";
    this.failureKind = options.failureKind;
    this.errno = options.errno ?? null;
    this.errnoName = options.errnoName ?? null;
    this.stage = options.stage ?? null;
  }
}

/**
 * A command ran past its `timeout`; the process was killed (signal 9) before this was thrown.
 *
 * @example Usage
 * ```ts
 * import { ExecTimeoutError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const error = new ExecTimeoutError(5000);
 * assert.equal(error.message, "exec timed out after 5000 ms");
 * assert.equal(error.timeout, 5000);
 * ```
 */
export class ExecTimeoutError extends MicrosandboxError {
  /** The timeout in milliseconds. */
  readonly timeout: number;

  /**
   * Builds the error.
   *
   * @param timeout The timeout in milliseconds.
   * @param options The cause.
   */
  constructor(timeout: number, options?: MicrosandboxErrorOptions) {
    super("ExecTimeout", `exec timed out after ${timeout} ms`, options);
    this.name = "ExecTimeoutError";
    this.timeout = timeout;
  }
}

/**
 * A log cursor that is not the SDK's format: standard base64 of one count byte followed by 16
 * bytes per position.
 *
 * @example Usage
 * ```ts
 * import { InvalidCursorError, LogCursor } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => LogCursor.parse("not a cursor"), InvalidCursorError);
 * ```
 */
export class InvalidCursorError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What is wrong with the cursor.
   * @param options The cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("InvalidCursor", message, options);
    this.name = "InvalidCursorError";
  }
}

/**
 * A stream received nothing, not even a heartbeat, for longer than its stall timeout.
 *
 * @example Usage
 * ```ts
 * import { StreamStalledError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new StreamStalledError("no bytes for 60000 ms").kind, "StreamStalled");
 * ```
 */
export class StreamStalledError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What stalled and for how long.
   * @param options The cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("StreamStalled", message, options);
    this.name = "StreamStalledError";
  }
}

/**
 * Options of {@linkcode SandboxNotRunningError}: which sandbox, and what it is doing instead.
 *
 * @example What an exec on a stopped sandbox reports
 * ```ts
 * import { SandboxNotRunningError, type SandboxNotRunningErrorOptions } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const options: SandboxNotRunningErrorOptions = {
 *   sandboxName: "build-42",
 *   sandboxStatus: "stopped",
 * };
 * const error = new SandboxNotRunningError(
 *   'exec in sandbox "build-42": the sandbox is stopped, not running; start it and try again',
 *   options,
 * );
 * assert.equal(error.sandboxStatus, "stopped");
 * ```
 */
export interface SandboxNotRunningErrorOptions extends MicrosandboxErrorOptions {
  /** The sandbox's name. */
  sandboxName: string;
  /** Its status when it was asked, such as `stopped` or `starting`. */
  sandboxStatus: string;
}

/**
 * The sandbox exists but is not running, so a command cannot run in it (exec, spawn, the agent
 * socket). Start it (`sandbox.start()`, which waits until it runs) and try again. `status` stays
 * the HTTP status of the error; the sandbox's own is `sandboxStatus`.
 *
 * @example Starting the sandbox when it is not running
 * ```ts
 * import { MicrosandboxError, SandboxNotRunningError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * let started = 0;
 * const sandbox = {
 *   running: false,
 *   async exec(): Promise<string> {
 *     if (this.running) return "hi";
 *     throw new SandboxNotRunningError('exec in sandbox "a": the sandbox is stopped', {
 *       sandboxName: "a",
 *       sandboxStatus: "stopped",
 *     });
 *   },
 *   async start(): Promise<void> {
 *     started++;
 *     this.running = true;
 *   },
 * };
 * async function run(): Promise<string> {
 *   try {
 *     return await sandbox.exec();
 *   } catch (error) {
 *     if (!(error instanceof SandboxNotRunningError)) throw error;
 *     await sandbox.start();
 *     return await sandbox.exec();
 *   }
 * }
 * assert.equal(await run(), "hi");
 * assert.equal(started, 1);
 * const error = new SandboxNotRunningError("x", { sandboxName: "a", sandboxStatus: "stopped" });
 * assert.ok(error instanceof MicrosandboxError);
 * ```
 */
export class SandboxNotRunningError extends MicrosandboxError {
  /** The sandbox's name. */
  readonly sandboxName: string;
  /** The sandbox's status when it was asked. */
  readonly sandboxStatus: string;

  /**
   * Builds the error.
   *
   * @param message What failed and what to do.
   * @param options The sandbox's name and status, and the cause.
   */
  constructor(message: string, options: SandboxNotRunningErrorOptions) {
    super("SandboxNotRunning", message, options);
    this.name = "SandboxNotRunningError";
    this.sandboxName = options.sandboxName;
    this.sandboxStatus = options.sandboxStatus;
  }
}

/**
 * A command printed more than `exec`'s `maxOutputBytes`; the process was killed before this was
 * thrown. Stream large output with `spawn`, or raise the bound.
 *
 * @example Usage
 * ```ts
 * import { OutputLimitError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const error = new OutputLimitError(1024);
 * assert.equal(error.kind, "OutputLimit");
 * assert.equal(error.limit, 1024);
 * assert.match(error.message, /^exec output exceeds maxOutputBytes \(1024 bytes\)/);
 * ```
 */
export class OutputLimitError extends MicrosandboxError {
  /** The bound in bytes (`maxOutputBytes`). */
  readonly limit: number;

  /**
   * Builds the error and its message.
   *
   * @param limit The bound in bytes.
   * @param options The cause.
   */
  constructor(limit: number, options?: MicrosandboxErrorOptions) {
    super(
      "OutputLimit",
      `exec output exceeds maxOutputBytes (${limit} bytes); the process was killed: ` +
        "use spawn() to stream it, or raise maxOutputBytes",
      options,
    );
    this.name = "OutputLimitError";
    this.limit = limit;
  }
}

/**
 * The volume does not exist (code `volume_not_found`, or a 404 to a volume request).
 *
 * @example Usage
 * ```ts
 * import { VolumeNotFoundError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new VolumeNotFoundError("gone").kind, "VolumeNotFound");
 * ```
 */
export class VolumeNotFoundError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What failed.
   * @param options The HTTP details and the cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("VolumeNotFound", message, options);
    this.name = "VolumeNotFoundError";
  }
}

/**
 * A volume with that name exists already (a 409 to a volume create).
 *
 * @example Usage
 * ```ts
 * import { VolumeAlreadyExistsError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new VolumeAlreadyExistsError("taken").kind, "VolumeAlreadyExists");
 * ```
 */
export class VolumeAlreadyExistsError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What failed.
   * @param options The HTTP details and the cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("VolumeAlreadyExists", message, options);
    this.name = "VolumeAlreadyExistsError";
  }
}

/**
 * Why a file operation failed. From the agent (`sandbox.fs`), the OS error it reports decides
 * (`ENOENT` is `not_found`, `EISDIR` `is_a_directory`, `EACCES`/`EPERM` `permission_denied`, …);
 * from the volume file routes (`volume.fs`), the error code (`volume_file_not_found` is
 * `not_found`, `invalid_volume_path` `invalid_path`, `quota_exceeded` `no_space`); anything else
 * is `other`, with the agent's or the cloud's words kept in the message.
 *
 * @example Telling a missing file from the rest
 * ```ts
 * import type { SandboxFsOpsErrorKind } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const missing: SandboxFsOpsErrorKind = "not_found";
 * assert.equal(missing, "not_found");
 * ```
 */
export type SandboxFsOpsErrorKind =
  | "not_found"
  | "is_a_directory"
  | "not_a_directory"
  | "permission_denied"
  | "already_exists"
  | "directory_not_empty"
  | "read_only"
  | "invalid_input"
  | "invalid_path"
  | "no_space"
  | "other";

/**
 * What a {@linkcode SandboxFsOpsError} carries besides its message and, from a volume, the HTTP
 * details.
 *
 * @example The details of a failed read
 * ```ts
 * import { SandboxFsOpsError, type SandboxFsOpsErrorOptions } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const options: SandboxFsOpsErrorOptions = {
 *   path: "/etc/nope",
 *   failureKind: "not_found",
 *   errno: 2,
 * };
 * assert.equal(new SandboxFsOpsError("sandbox fs error: open /etc/nope: gone", options).errno, 2);
 * ```
 */
export interface SandboxFsOpsErrorOptions extends MicrosandboxErrorOptions {
  /** The path the operation acted on (the source of a copy or a rename). */
  path: string;
  /** Why it failed. */
  failureKind: SandboxFsOpsErrorKind;
  /** The OS error number the agent reported, when it reported one. */
  errno?: number | null | undefined;
}

/**
 * A file operation failed on the file it names, in a sandbox (`sandbox.fs`, an agent
 * `FsResponse` with `ok: false`) or in a volume (`volume.fs`, codes `volume_file_not_found`,
 * `invalid_volume_path`, `quota_exceeded`, or a 400 to a file request); the seed's
 * `SandboxFsOps`. One class for both: `path` says where, `failureKind` why; `errno` is the
 * agent's OS error (`null` from a volume), `status` and `code` the cloud's answer (unset from a
 * sandbox).
 *
 * @example One handler for both surfaces
 * ```ts
 * import { SandboxFsOpsError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * function missing(error: unknown): string | undefined {
 *   if (error instanceof SandboxFsOpsError && error.failureKind === "not_found") return error.path;
 *   return undefined;
 * }
 * const fromSandbox = new SandboxFsOpsError("sandbox fs error: stat /nope: No such file", {
 *   path: "/nope",
 *   failureKind: "not_found",
 *   errno: 2,
 * });
 * const fromVolume = new SandboxFsOpsError("GET /v1/volumes/:id/files/stat: No file at /gone", {
 *   path: "/gone",
 *   failureKind: "not_found",
 *   status: 404,
 *   code: "volume_file_not_found",
 * });
 * assert.equal(missing(fromSandbox), "/nope");
 * assert.equal(missing(fromVolume), "/gone");
 * assert.equal(fromVolume.kind, "SandboxFsOps");
 * assert.equal(fromVolume.errno, null);
 * assert.equal(fromSandbox.status, undefined);
 * ```
 */
export class SandboxFsOpsError extends MicrosandboxError {
  /** The path the operation acted on. */
  readonly path: string;
  /** Why the operation failed. */
  readonly failureKind: SandboxFsOpsErrorKind;
  /** The agent's OS error number, or `null`. */
  readonly errno: number | null;

  /**
   * Builds the error.
   *
   * @param message What failed, with the agent's or the cloud's words.
   * @param options The path, the failure kind, the errno, the HTTP details and the cause.
   */
  constructor(message: string, options: SandboxFsOpsErrorOptions) {
    super("SandboxFsOps", message, options);
    this.name = "SandboxFsOpsError";
    this.path = options.path;
    this.failureKind = options.failureKind;
    this.errno = options.errno ?? null;
  }
}

/**
 * The audit event does not exist (a 404 to `GET /v1/events/{event_id}`, whatever its code: the
 * cloud answers `sandbox_not_found` there too).
 *
 * @example Usage
 * ```ts
 * import { EventNotFoundError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const error = new EventNotFoundError("gone", { status: 404, code: "sandbox_not_found" });
 * assert.equal(error.kind, "EventNotFound");
 * assert.equal(error.status, 404);
 * ```
 */
export class EventNotFoundError extends MicrosandboxError {
  /**
   * Builds the error.
   *
   * @param message What failed.
   * @param options The HTTP details and the cause.
   */
  constructor(message: string, options?: MicrosandboxErrorOptions) {
    super("EventNotFound", message, options);
    this.name = "EventNotFoundError";
  }
}

/**
 * `sandbox.connect` could not reach `host:port` inside the sandbox (nothing listens there, the
 * name does not resolve, the sandbox refuses tunnels): the agent's `core.tcp.failed`, whose
 * message this error's ends with.
 *
 * @example Usage
 * ```ts
 * import { ConnectionRefusedError } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * const error = new ConnectionRefusedError("cannot connect to 127.0.0.1:8000: Connection refused", {
 *   host: "127.0.0.1",
 *   port: 8000,
 * });
 * assert.equal(error.kind, "ConnectionRefused");
 * assert.equal(error.port, 8000);
 * ```
 */
export class ConnectionRefusedError extends MicrosandboxError {
  /** The host, as the sandbox resolves it. */
  readonly host: string;
  /** The port. */
  readonly port: number;

  /**
   * Builds the error.
   *
   * @param message What failed, with the agent's reason.
   * @param options Where it tried to connect, and the cause.
   */
  constructor(
    message: string,
    options: { host: string; port: number; cause?: unknown },
  ) {
    super(
      "ConnectionRefused",
      message,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.name = "ConnectionRefusedError";
    this.host = options.host;
    this.port = options.port;
  }
}
