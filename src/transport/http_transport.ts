// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { ResolvedOptions } from "../config/client_options.ts";
import { InvalidConfigError, MicrosandboxError, ProtocolError, TimeoutError } from "../errors.ts";
import { type ErrorClass, httpError, parseErrorBody } from "./_http_error.ts";
import { networkFailure } from "./_network_failure.ts";
import { readBody } from "./_read_body.ts";
import { mayHold, redact, redactBounded, redactingReviver, redactionMargin } from "./_redact.ts";
import { backoffDelay, parseRetryAfter, RETRYABLE_STATUSES, sleep } from "./_retry.ts";

/** Error bodies are kept up to this size, after redaction; the rest is dropped. */
const MAX_ERROR_BODY = 64 * 1024;
/** A 2xx JSON body larger than this is refused with a `ProtocolError`. */
const MAX_JSON_BODY = 16 * 1024 * 1024;

/**
 * Which failures may be retried: `idempotent` requests on network errors, 429, 502, 503 and 504;
 * `create` only on a 429 whose code says the server did not act (`rate_limited`); `never` never.
 */
export type RetryMode = "idempotent" | "create" | "never";

/** One unary JSON request. */
export interface HttpRequest {
  /** The label of errors, such as `GET /v1/sandboxes/by-name/:name`. */
  operation: string;
  method: "GET" | "POST" | "DELETE" | "PATCH" | "PUT";
  /** The path, already percent-encoded, starting with `/`. */
  path: string;
  /** The query string without `?`, already encoded; empty for none. */
  query?: string | undefined;
  /** A JSON body. */
  body?: unknown;
  retry: RetryMode;
  /** What a 409 answer means, such as "name taken" on a create; a conflict when unset. */
  conflict?: ErrorClass | undefined;
  /** What an un-coded 404 means, such as a missing volume; a missing sandbox when unset. */
  notFound?: ErrorClass | undefined;
  /** The path of the volume file it acts on: its failures are `SandboxFsOpsError`s naming it. */
  file?: string | undefined;
  /** Extra request headers, such as the path of a volume file. */
  headers?: Record<string, string> | undefined;
  /** Milliseconds for this request instead of the client's `timeout`. */
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
}

class Retryable extends Error {
  readonly error: MicrosandboxError;
  readonly retryAfter: number | undefined;

  constructor(error: MicrosandboxError, retryAfter?: number) {
    super(error.message, { cause: error });
    this.error = error;
    this.retryAfter = retryAfter;
  }
}

/**
 * Sends unary JSON requests with the key, the User-Agent, a timeout per attempt, bounded retries
 * and the error mapping. The API key, in every form, is redacted from every body it keeps, every
 * message it words and every string of the JSON it returns.
 */
export class HttpTransport {
  readonly #options: ResolvedOptions;

  constructor(options: ResolvedOptions) {
    this.#options = options;
  }

  /** Sends the request, retrying as its mode allows, and returns the decoded JSON body. */
  async json(request: HttpRequest): Promise<unknown> {
    const { retry } = this.#options;
    const started = Date.now();
    for (let attempt = 1;; attempt++) {
      try {
        return await this.#attempt(request);
      } catch (error) {
        if (!(error instanceof Retryable)) throw error;
        const delay = backoffDelay(attempt, retry, error.retryAfter);
        const outOfTime = Date.now() - started + delay > retry.maxElapsed;
        if (attempt >= retry.attempts || outOfTime) throw error.error;
        await sleep(delay, request.signal);
      }
    }
  }

  /**
   * Opens a streaming response: no timeout (the caller watches for stalls), no retry (the caller
   * resumes), non-2xx mapped to errors like unary calls. A `content` body is sent as it is,
   * streamed when it is a `ReadableStream`.
   */
  async stream(request: HttpRequest & { content?: RawContent }): Promise<Response> {
    const once: HttpRequest = { ...request, retry: "never" };
    try {
      const init = this.#init(request, request.signal ?? new AbortController().signal);
      if (request.content !== undefined) withContent(init, request.content);
      const response = await this.#options.fetch(this.#url(request), init);
      if (!response.ok) throw await this.#failure(once, response);
      return response;
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (error instanceof MicrosandboxError) throw error;
      throw this.#networkError(once, error);
    }
  }

  async #attempt(request: HttpRequest): Promise<unknown> {
    const timeoutMs = request.timeout ?? this.#options.timeout;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    try {
      const response = await this.#options.fetch(this.#url(request), this.#init(request, signal));
      return await this.#read(request, response);
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (timeout.aborted) {
        throw new TimeoutError(`${request.operation}: timed out after ${timeoutMs} ms`, {
          cause: timeout.reason,
          operation: request.operation,
        });
      }
      if (error instanceof MicrosandboxError || error instanceof Retryable) throw error;
      throw this.#networkError(request, error);
    }
  }

  #url(request: HttpRequest): string {
    return `${this.#options.url}${request.path}${request.query ? `?${request.query}` : ""}`;
  }

  #init(request: HttpRequest, signal: AbortSignal): RequestInit {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#options.apiKey}`,
      "user-agent": this.#options.userAgent,
      accept: "application/json",
      ...request.headers,
    };
    if (request.body === undefined) return { method: request.method, headers, signal };
    headers["content-type"] = "application/json";
    return { method: request.method, headers, signal, body: encodeBody(request) };
  }

  async #read(request: HttpRequest, response: Response): Promise<unknown> {
    if (!response.ok) throw await this.#failure(request, response);
    const { text, truncated, bytes } = await readBody(response, MAX_JSON_BODY);
    const details = { status: response.status, operation: request.operation };
    if (truncated) {
      throw new ProtocolError(
        `${request.operation}: response body exceeds ${MAX_JSON_BODY} bytes`,
        details,
      );
    }
    try {
      const { apiKey } = this.#options;
      return JSON.parse(text, mayHold(text, apiKey) ? redactingReviver(apiKey) : undefined);
    } catch {
      // The parser's own message quotes the body, so it is neither quoted nor kept as the cause.
      throw new ProtocolError(
        `${request.operation}: failed to decode body: it is not JSON (${bytes} bytes, status ` +
          `${response.status}); check that the url points at the microsandbox cloud API`,
        { ...details, body: redactBounded(text, this.#options.apiKey, MAX_ERROR_BODY, true) },
      );
    }
  }

  async #failure(request: HttpRequest, response: Response): Promise<Error> {
    const key = this.#options.apiKey;
    // Decoded whole past the bound, redacted, then cut: a key that straddles the bound is seen.
    const { text, truncated } = await readBody(response, MAX_ERROR_BODY + redactionMargin(key));
    const body = redactBounded(text, key, MAX_ERROR_BODY, !truncated);
    const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
    const error = httpError(
      {
        operation: request.operation,
        status: response.status,
        body,
        retryAfter,
        conflict: request.conflict,
        notFound: request.notFound,
        file: request.file,
      },
      (decoded) => this.#redact(decoded),
    );
    return this.#mayRetry(request, response.status, body)
      ? new Retryable(error, retryAfter)
      : error;
  }

  #mayRetry(request: HttpRequest, status: number, body: string): boolean {
    switch (request.retry) {
      case "idempotent":
        return RETRYABLE_STATUSES.has(status);
      case "create":
        return status === 429 && parseErrorBody(body).code === "rate_limited";
      case "never":
        return false;
    }
  }

  #networkError(request: HttpRequest, cause: unknown): Error {
    const error = networkFailure(
      { operation: request.operation, url: this.#options.url },
      cause,
      (text) => this.#redact(text),
    );
    const transient = request.retry === "idempotent" && !(error instanceof InvalidConfigError);
    return transient ? new Retryable(error) : error;
  }

  #redact(text: string): string {
    return redact(text, this.#options.apiKey);
  }
}

/** A request body sent as bytes, not as JSON. */
export type RawContent = string | Uint8Array | Blob | ReadableStream<Uint8Array>;

/** Puts a raw body on `init`: bytes as they are, a stream as a half-duplex upload. */
function withContent(init: RequestInit, content: RawContent): void {
  (init.headers as Record<string, string>)["content-type"] = "application/octet-stream";
  init.body = content as BodyInit;
  // Streamed request bodies need `duplex`, which the DOM lib's `RequestInit` does not list yet.
  if (content instanceof ReadableStream) Object.assign(init, { duplex: "half" });
}

function encodeBody(request: HttpRequest): string {
  try {
    return JSON.stringify(request.body);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new InvalidConfigError(
      `${request.operation}: the request body cannot be sent as JSON (${reason}); ` +
        "use plain strings, numbers, booleans, arrays and objects in the spec",
      { cause, operation: request.operation },
    );
  }
}
