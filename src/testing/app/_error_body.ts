/**
 * The error JSON every local-cloud route answers with: openapi `ErrorResponse`,
 * `{"error": {"code", "message", "details": null}}`, plus the {@linkcode ApiError} that route code
 * throws to produce it.
 *
 * @module
 */

/** The nested error body of the msb-cloud REST API (openapi `ErrorResponse`). */
export interface ErrorBody {
  /** The error itself. */
  readonly error: {
    /** Machine-readable code, e.g. `sandbox_not_found`. */
    readonly code: string;
    /** Human-readable summary. Never contains the API key. */
    readonly message: string;
    /** Always `null` in the local cloud. */
    readonly details: null;
  };
}

/**
 * Builds the nested error body.
 *
 * @param code The machine-readable error code.
 * @param message The human-readable message.
 * @returns The body, ready for `JSON.stringify`.
 */
export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message, details: null } };
}

/**
 * Builds a JSON error response with the nested body.
 *
 * @param status The HTTP status.
 * @param code The machine-readable error code.
 * @param message The human-readable message.
 * @param headers Extra response headers (e.g. `retry-after`).
 * @returns The response.
 */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(errorBody(code, message)), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** An error a route throws to answer with a given status and code. */
export class ApiError extends Error {
  /** The HTTP status to answer with. */
  readonly status: number;
  /** The machine-readable error code. */
  readonly code: string;

  /**
   * Creates the error.
   *
   * @param status The HTTP status.
   * @param code The machine-readable error code.
   * @param message The human-readable message sent to the client.
   */
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }

  /**
   * Converts the error into its HTTP response.
   *
   * @returns The JSON error response.
   */
  toResponse(): Response {
    return errorResponse(this.status, this.code, this.message);
  }
}

/**
 * A 400 `invalid_request` error.
 *
 * @param message What is wrong with the request and how to fix it.
 * @returns The error, to be thrown.
 */
export function invalidRequest(message: string): ApiError {
  return new ApiError(400, "invalid_request", message);
}

/**
 * A 404 `sandbox_not_found` error.
 *
 * @param what How the sandbox was addressed, e.g. `named "a"`.
 * @returns The error, to be thrown.
 */
export function sandboxNotFound(what: string): ApiError {
  return new ApiError(404, "sandbox_not_found", `Cannot find a sandbox ${what}`);
}

/**
 * A 409 `name_already_exists` error.
 *
 * @param field The field that collides, `name` or `slug`.
 * @param value The colliding value.
 * @returns The error, to be thrown.
 */
export function alreadyExists(field: "name" | "slug", value: string): ApiError {
  return new ApiError(
    409,
    "name_already_exists",
    `A sandbox with ${field} ${JSON.stringify(value)} already exists`,
  );
}
