// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/** What every call that does I/O accepts. */
export interface RequestOptions {
  /** Aborts the call; retries stop at once and the call rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Options of `create`. */
export interface CreateOptions extends RequestOptions {
  /**
   * Whether to start the sandbox right away.
   * @default {true}
   */
  start?: boolean | undefined;
  /**
   * With `start` on the current wire, seconds the server may wait for `running` before answering;
   * the call then fails with a `RuntimeError` unless the sandbox runs. 0 answers at once.
   * @default {90}
   */
  waitTimeoutSecs?: number | undefined;
}

/** Options of `start`. */
export interface StartOptions extends RequestOptions {
  /**
   * On the current wire, seconds the server may wait for `running` before answering; the call
   * then fails with a `RuntimeError` unless the sandbox runs. 0 answers at once.
   * @default {90}
   */
  waitTimeoutSecs?: number | undefined;
}

/** Options of `list`. */
export interface ListOptions extends RequestOptions {
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
  /**
   * Sandboxes per page, 1 to 100 (the server's default is 20).
   */
  limit?: number | undefined;
  /** Only sandboxes that carry every one of these labels (current wire only). */
  labels?: Record<string, string> | undefined;
}
