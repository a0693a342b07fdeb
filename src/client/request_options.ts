// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * What every call that does I/O accepts.
 *
 * @example Cancelling a call
 * ```ts
 * import { Microsandbox, type RequestOptions } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * // A stand-in for a cloud that never answers, but lets go when the request is aborted.
 * const msb = new Microsandbox({
 *   apiKey: "msb_test_123",
 *   fetch: (_input, init) =>
 *     new Promise((_resolve, reject) => {
 *       init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
 *     }),
 * });
 * const controller = new AbortController();
 * const options: RequestOptions = { signal: controller.signal };
 * const pending = msb.sandboxes.get("build-42", options);
 * controller.abort(new Error("the user went away"));
 * await assert.rejects(pending, { message: "the user went away" });
 * ```
 */
export interface RequestOptions {
  /** Aborts the call; retries stop at once and the call rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/**
 * Options of `create`. A create that fails once the cloud has accepted it (a boot that fails, a
 * wait that runs out, an abort, an answer that never arrives) removes the sandbox it made, so no
 * sandbox is left behind and the name is free again.
 *
 * @example Create now, start later
 * ```ts
 * import type { CreateOptions, Microsandbox, Sandbox } from "@microsandbox/edge";
 *
 * // Only create it: `sandbox.start()` boots it when it is needed.
 * const cold: CreateOptions = { start: false };
 * // Boot it at once and wait up to 30 s for `running`.
 * const warm: CreateOptions = { waitTimeoutSecs: 30 };
 *
 * async function provision(msb: Microsandbox, now: boolean): Promise<Sandbox> {
 *   return await msb.sandboxes.create({ name: "build-42", image: "python" }, now ? warm : cold);
 * }
 * ```
 */
export interface CreateOptions extends RequestOptions {
  /**
   * Whether to start the sandbox right away.
   * @default {true}
   */
  start?: boolean | undefined;
  /**
   * With `start`, seconds to wait for `running` (the server waits on the current wire, the client
   * polls on v0.5); the call then fails with a `RuntimeError` unless the sandbox runs, and a
   * sandbox that fails to boot rejects with the cloud's reason. 0 answers at once.
   * @default {90}
   */
  waitTimeoutSecs?: number | undefined;
}

/**
 * Options of `start`.
 *
 * @example Start without waiting for `running`
 * ```ts
 * import type { Sandbox, StartOptions } from "@microsandbox/edge";
 *
 * async function boot(sandbox: Sandbox): Promise<void> {
 *   // The call answers at once; `waitFor` tells when the sandbox runs.
 *   const options: StartOptions = { waitTimeoutSecs: 0 };
 *   await sandbox.start(options);
 *   await sandbox.waitFor("running");
 * }
 * ```
 */
export interface StartOptions extends RequestOptions {
  /**
   * Seconds to wait for `running` (the server waits on the current wire, the client polls on
   * v0.5); the call then fails with a `RuntimeError` unless the sandbox runs, and a sandbox that
   * fails to boot rejects with the cloud's reason. 0 answers at once.
   * @default {90}
   */
  waitTimeoutSecs?: number | undefined;
}

/**
 * Options of `stop`. By default the call resolves once the sandbox is `stopped`, reading it again
 * with growing pauses (50 ms up to 1 s) as the SDK does.
 *
 * @example Stop and restart, or only ask
 * ```ts
 * import type { Sandbox, StopOptions } from "@microsandbox/edge";
 *
 * async function restart(sandbox: Sandbox): Promise<void> {
 *   await sandbox.stop({ waitTimeoutSecs: 30 }); // `stopped` when it resolves
 *   await sandbox.start();
 * }
 *
 * async function requestStop(sandbox: Sandbox): Promise<void> {
 *   const options: StopOptions = { wait: false };
 *   await sandbox.stop(options); // `stopping` or `stopped`
 * }
 * ```
 */
export interface StopOptions extends RequestOptions {
  /**
   * Whether to wait until the sandbox is `stopped`.
   * @default {true}
   */
  wait?: boolean | undefined;
  /**
   * Seconds to wait for `stopped` (fractions allowed); the call then fails with a `TimeoutError`
   * that names the sandbox and the status it was last seen in. 0 answers at once.
   * @default {90}
   */
  waitTimeoutSecs?: number | undefined;
}

/**
 * Options of `sandbox.waitFor`.
 *
 * @example Wait up to 10 s for a sandbox someone else starts
 * ```ts
 * import type { Sandbox, WaitForOptions } from "@microsandbox/edge";
 *
 * async function whenRunning(sandbox: Sandbox, signal: AbortSignal): Promise<void> {
 *   const options: WaitForOptions = { timeout: 10_000, signal };
 *   await sandbox.waitFor("running", options);
 * }
 * ```
 */
export interface WaitForOptions extends RequestOptions {
  /**
   * Milliseconds to wait; the call then fails with a `TimeoutError` that names the sandbox and
   * the status it was last seen in.
   * @default {90000}
   */
  timeout?: number | undefined;
}

/**
 * Which page of a listing to read, and how long it is.
 *
 * @example The first ten members
 * ```ts
 * import { Microsandbox, type PageOptions } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * // A stand-in for the cloud that records the URLs it is asked for.
 * const urls: string[] = [];
 * const msb = new Microsandbox({
 *   apiKey: "msb_test_123",
 *   fetch: (input) => {
 *     urls.push(String(input));
 *     return Promise.resolve(Response.json({ data: [], next_cursor: null, has_more: false }));
 *   },
 * });
 * const options: PageOptions = { limit: 10 };
 * const page = await msb.account.listMembers(options);
 * assert.deepEqual(page.members, []);
 * assert.equal(new URL(urls[0]!).searchParams.get("limit"), "10");
 * ```
 */
export interface PageOptions extends RequestOptions {
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
  /**
   * Items per page, 1 to 100 (the server's default is 20).
   */
  limit?: number | undefined;
}

/**
 * Options of `list`.
 *
 * @example One page of a team's sandboxes
 * ```ts
 * import { type ListOptions, Microsandbox } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * // A stand-in for the cloud that records the URLs it is asked for.
 * const urls: string[] = [];
 * const msb = new Microsandbox({
 *   apiKey: "msb_test_123",
 *   fetch: (input) => {
 *     urls.push(String(input));
 *     return Promise.resolve(Response.json({ data: [], next_cursor: null, has_more: false }));
 *   },
 * });
 * const options: ListOptions = { limit: 10, labels: { team: "ci" } };
 * const page = await msb.sandboxes.list(options);
 * assert.equal(page.hasMore, false);
 * const query = new URL(urls[0]!).searchParams;
 * assert.equal(query.get("limit"), "10");
 * assert.equal(query.get("labels"), '{"team":"ci"}');
 * ```
 */
export interface ListOptions extends PageOptions {
  /** Only sandboxes that carry every one of these labels (current wire only). */
  labels?: Record<string, string> | undefined;
}

/**
 * What `sandbox.update` and `msb.sandboxes.updateById` change (`PATCH /v1/sandboxes/{id}`,
 * current wire only); a field left out stays as it is, and at least one is needed.
 *
 * @example Rename a sandbox and give it a new slug
 * ```ts
 * import type { Sandbox, SandboxUpdate } from "@microsandbox/edge";
 *
 * async function promote(sandbox: Sandbox): Promise<void> {
 *   const change: SandboxUpdate = { name: "build-42-release", slug: "build-42-release" };
 *   await sandbox.update(change); // a taken name or slug: SandboxAlreadyExistsError (409)
 * }
 * ```
 */
export interface SandboxUpdate {
  /** The new name, unique in the organisation. */
  name?: string | undefined;
  /**
   * The new slug (the SSH address handle), globally unique: lowercase letters, digits and
   * hyphens; an ill-formed one is an `InvalidConfigError` (400).
   */
  slug?: string | undefined;
}
