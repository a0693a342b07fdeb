// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import {
  AuthenticationError,
  CloudHttpError,
  ConflictError,
  type HttpErrorDetails,
  InvalidConfigError,
  type MicrosandboxError,
  RateLimitedError,
  RuntimeError,
  SandboxAlreadyExistsError,
  SandboxFsOpsError,
  type SandboxFsOpsErrorKind,
  SandboxNotFoundError,
  VolumeNotFoundError,
} from "../errors.ts";

/** A non-2xx answer, as read by the transport. */
export interface HttpFailure {
  operation: string;
  status: number;
  /** The body text, already bounded and redacted. */
  body: string;
  /** Milliseconds from `Retry-After`, when present. */
  retryAfter?: number | undefined;
  /** What a 409 means for this request; a plain {@linkcode ConflictError} when unset. */
  conflict?: ErrorClass | undefined;
  /** What an un-coded 404 means for this request; {@linkcode SandboxNotFoundError} when unset. */
  notFound?: ErrorClass | undefined;
  /** The path of the volume file the request acts on, for {@linkcode SandboxFsOpsError}. */
  file?: string | undefined;
}

/** An error kind the mapping can build from a message and the HTTP details. */
export type ErrorClass = new (message: string, options: HttpErrorDetails) => MicrosandboxError;

const BY_CODE: Record<string, ErrorClass> = {
  invalid_request: InvalidConfigError,
  invalid_sandbox_config: InvalidConfigError,
  orchestrator_unreachable: RuntimeError,
  nomad_job_failed: RuntimeError,
  volume_not_found: VolumeNotFoundError,
  invalid_volume_path: InvalidConfigError,
};

/** The failure kinds of the codes a volume file request may answer. */
const FILE_KINDS: Record<string, SandboxFsOpsErrorKind> = {
  volume_file_not_found: "not_found",
  invalid_volume_path: "invalid_path",
  quota_exceeded: "no_space",
};

/** Reads `{error: {code, message}}` or `{code, message}`; anything else gives neither. */
export function parseErrorBody(body: string): { code?: string; message?: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {};
  }
  if (!isRecord(json)) return {};
  const nested = isRecord(json.error) ? json.error : {};
  const code = stringOr(nested.code) ?? stringOr(json.code);
  const message = stringOr(nested.message) ?? stringOr(json.message);
  return { ...(code && { code }), ...(message && { message }) };
}

/**
 * Maps a non-2xx answer to its error kind the way the seed's `cloud_http_error` does: the error
 * code first, then the status; 401/403 and 429 get kinds of their own, and a 409 is what the
 * request says it means (`conflict`, such as "name taken" on a create), else a conflict; an
 * un-coded 404 likewise (`notFound`, such as a missing volume), else a missing sandbox. A
 * request on a volume file (`file`) fails first with a {@linkcode SandboxFsOpsError} naming it,
 * when the answer is about that file. The code and message decoded from the body pass through
 * `redact`, since decoding JSON can turn an escaped form of the key into another one.
 */
export function httpError(
  failure: HttpFailure,
  redact: (decoded: string) => string,
): MicrosandboxError {
  const decoded = parseErrorBody(failure.body);
  const code = decoded.code === undefined ? undefined : redact(decoded.code);
  const message = decoded.message === undefined ? undefined : redact(decoded.message);
  const summary = message ?? (failure.body.trim() || "no response body");
  const text = `${failure.operation}: ${summary}`;
  const details: HttpErrorDetails = {
    status: failure.status,
    code,
    body: failure.body,
    operation: failure.operation,
  };
  if (failure.file !== undefined) {
    const failureKind = fileFailureKind(code, failure);
    if (failureKind) {
      return new SandboxFsOpsError(text, { ...details, path: failure.file, failureKind });
    }
  }
  const byCode = code === undefined ? undefined : classForCode(code, failure);
  if (byCode) return new byCode(text, details);
  const byStatus = classForStatus(failure);
  if (byStatus) return new byStatus(text, details);
  if (failure.status === 429) {
    return new RateLimitedError(text, { ...details, retryAfter: failure.retryAfter });
  }
  return new CloudHttpError(text, details);
}

/**
 * The kind of a code; "not found" and "name taken" are what the request says they mean (a volume
 * request's `sandbox_not_found`, the code openapi shows for every 404, is a missing volume).
 */
function classForCode(code: string, failure: HttpFailure): ErrorClass | undefined {
  switch (code) {
    case "sandbox_not_found":
      return failure.notFound ?? SandboxNotFoundError;
    case "name_already_exists":
      return failure.conflict ?? SandboxAlreadyExistsError;
    default:
      return Object.hasOwn(BY_CODE, code) ? BY_CODE[code] : undefined;
  }
}

/**
 * Why a volume file request failed, when its answer is about the file: a file code, or a 400 or
 * 422 whose code has no kind of its own (`invalid_request`, none, an unknown one: a directory
 * where a file should be, one that is not empty, …).
 */
function fileFailureKind(
  code: string | undefined,
  failure: HttpFailure,
): SandboxFsOpsErrorKind | undefined {
  if (code !== undefined && Object.hasOwn(FILE_KINDS, code)) return FILE_KINDS[code];
  if (failure.status !== 400 && failure.status !== 422) return undefined;
  const ownKind = code !== undefined && code !== "invalid_request" &&
    classForCode(code, failure) !== undefined;
  return ownKind ? undefined : "other";
}

function classForStatus(failure: HttpFailure): ErrorClass | undefined {
  switch (failure.status) {
    case 400:
    case 422:
      return InvalidConfigError;
    case 404:
      return failure.notFound ?? SandboxNotFoundError;
    case 409:
      return failure.conflict ?? ConflictError;
    case 502:
      return RuntimeError;
    case 401:
    case 403:
      return AuthenticationError;
    default:
      return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
