// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { SandboxSpec } from "../models/sandbox_spec.ts";
import { getOrCreateSandbox } from "./_get_or_create.ts";
import { createSandbox, restartSandbox, startSandbox, stopSandbox } from "./_lifecycle.ts";
import { walkPages } from "./_pages.ts";
import type { SandboxApi } from "./_sandbox_api.ts";
import type {
  CreateOptions,
  ListOptions,
  RequestOptions,
  SandboxUpdate,
  StartOptions,
  StopOptions,
} from "./request_options.ts";
import { type Sandbox, sandboxHandle } from "./sandbox.ts";

/**
 * One page of {@linkcode Sandboxes.list}.
 *
 * @example Walking the pages by hand
 * ```ts
 * import { Microsandbox, type SandboxPage } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * async function runningNames(msb: Microsandbox): Promise<string[]> {
 *   const names: string[] = [];
 *   let page: SandboxPage | undefined;
 *   do {
 *     page = await msb.sandboxes.list({ cursor: page?.nextCursor, limit: 100 });
 *     for (const sandbox of page.sandboxes) {
 *       if (sandbox.status === "running") names.push(sandbox.name);
 *     }
 *   } while (page.hasMore);
 *   return names;
 * }
 *
 * // A stand-in for the cloud that answers with one empty page.
 * const msb = new Microsandbox({
 *   apiKey: "msb_test_123",
 *   fetch: () => Promise.resolve(Response.json({ data: [], next_cursor: null, has_more: false })),
 * });
 * assert.deepEqual(await runningNames(msb), []);
 * ```
 */
export interface SandboxPage {
  /** The sandboxes of this page. */
  sandboxes: Sandbox[];
  /** The cursor of the next page, when there is one. */
  nextCursor: string | undefined;
  /** Whether another page follows. */
  hasMore: boolean;
}

let makeSandboxes: (api: SandboxApi) => Sandboxes;

/** Builds the `msb.sandboxes` collection over the given operations. */
export function sandboxesOf(api: SandboxApi): Sandboxes {
  return makeSandboxes(api);
}

/**
 * The sandboxes of the organisation the API key belongs to, as `msb.sandboxes`. Iterating it with
 * `for await` walks every page.
 *
 * @example Create, list and remove
 * ```ts ignore
 * import { Microsandbox } from "@microsandbox/edge";
 *
 * const msb = Microsandbox.fromEnv();
 * const sandbox = await msb.sandboxes.create({ name: "build-42", image: "python" });
 * for await (const each of msb.sandboxes) console.log(each.name, each.status);
 * await msb.sandboxes.remove(sandbox.name);
 * ```
 */
export class Sandboxes implements AsyncIterable<Sandbox> {
  readonly #api: SandboxApi;

  static {
    makeSandboxes = (api) => new Sandboxes(api);
  }

  private constructor(api: SandboxApi) {
    this.#api = api;
  }

  /**
   * Creates a sandbox and, unless `start` is false, starts it and waits until it runs. A create
   * that fails, times out or is aborted once the cloud has accepted it removes the sandbox it
   * made before it rejects.
   *
   * @param spec What the sandbox is made of; `{ name, image }` is enough.
   * @param options Whether to start, how long to wait, and a signal.
   * @returns A handle that owns the sandbox (`await using` removes it).
   */
  async create(spec: SandboxSpec, options?: CreateOptions): Promise<Sandbox> {
    return sandboxHandle(this.#api, await createSandbox(this.#api, spec, options), true);
  }

  /**
   * The sandbox named `spec.name`, or a new one made from `spec` (the official SDK's
   * `connectOrCreate`). With `start` (the default) a found sandbox that is `created` or `stopped`
   * is started, one `starting` is waited for. When another caller creates the name meanwhile (a
   * 409), the call reads theirs. A found sandbox is returned whatever its spec; the spec is checked
   * before any request all the same.
   *
   * @param spec What a new sandbox is made of.
   * @param options Whether to start, how long to wait, and a signal.
   * @returns A handle that does not own the sandbox (`await using` leaves it be), since it may be
   * another caller's.
   */
  async getOrCreate(spec: SandboxSpec, options?: CreateOptions): Promise<Sandbox> {
    return sandboxHandle(this.#api, await getOrCreateSandbox(this.#api, spec, options), false);
  }

  /**
   * Reads a sandbox by name.
   *
   * @param name The sandbox name.
   * @param options A signal.
   * @returns A handle on the sandbox.
   */
  async get(name: string, options?: RequestOptions): Promise<Sandbox> {
    return sandboxHandle(this.#api, await this.#api.get(name, options), false);
  }

  /**
   * Reads a sandbox by its id (current wire only).
   *
   * @param id The sandbox id, a UUID.
   * @param options A signal.
   * @returns A handle on the sandbox.
   */
  async getById(id: string, options?: RequestOptions): Promise<Sandbox> {
    return sandboxHandle(this.#api, await this.#api.get({ id }, options), false);
  }

  /**
   * Starts a sandbox by its id and waits until it runs (current wire only).
   *
   * @param id The sandbox id, a UUID.
   * @param options How long to wait, and a signal.
   * @returns A handle on the sandbox.
   */
  async startById(id: string, options?: StartOptions): Promise<Sandbox> {
    return sandboxHandle(this.#api, await startSandbox(this.#api, { id }, options), false);
  }

  /**
   * Stops a sandbox by its id and waits until it is `stopped` (current wire only).
   *
   * @param id The sandbox id, a UUID.
   * @param options Whether and how long to wait, and a signal.
   * @returns A handle on the sandbox.
   */
  async stopById(id: string, options?: StopOptions): Promise<Sandbox> {
    return sandboxHandle(this.#api, await stopSandbox(this.#api, { id }, options), false);
  }

  /**
   * Removes a sandbox by its id (current wire only).
   *
   * @param id The sandbox id, a UUID.
   * @param options A signal.
   */
  async removeById(id: string, options?: RequestOptions): Promise<void> {
    await this.#api.remove({ id }, options);
  }

  /**
   * Renames a sandbox and/or changes its slug, by its id (current wire only).
   *
   * @param id The sandbox id, a UUID.
   * @param change The new name and/or slug.
   * @param options A signal.
   * @returns A handle on the renamed sandbox.
   */
  async updateById(id: string, change: SandboxUpdate, options?: RequestOptions): Promise<Sandbox> {
    return sandboxHandle(this.#api, await this.#api.update(id, change, options), false);
  }

  /**
   * Reads one page of sandboxes.
   *
   * @param options The cursor, page size, labels to match and a signal.
   * @returns The page and the cursor of the next one.
   */
  async list(options?: ListOptions): Promise<SandboxPage> {
    const page = await this.#api.list(options);
    return {
      sandboxes: page.sandboxes.map((info) => sandboxHandle(this.#api, info, false)),
      nextCursor: page.nextCursor,
      hasMore: page.hasMore,
    };
  }

  /**
   * Walks every page of sandboxes, fetching each page when the previous one is used up.
   *
   * @param options The page size, labels to match and a signal.
   * @returns The sandboxes, in the server's order.
   */
  iterate(options: Omit<ListOptions, "cursor"> = {}): AsyncGenerator<Sandbox, void> {
    return walkPages("GET /v1/sandboxes", async (cursor) => {
      const { sandboxes, ...page } = await this.list({ ...options, cursor });
      return { items: sandboxes, ...page };
    });
  }

  /**
   * Walks every page of sandboxes with the server's page size.
   *
   * @returns The sandboxes, in the server's order.
   */
  [Symbol.asyncIterator](): AsyncGenerator<Sandbox, void> {
    return this.iterate();
  }

  /**
   * Starts a sandbox and waits until it runs.
   *
   * @param name The sandbox name.
   * @param options How long to wait, and a signal.
   * @returns A handle on the sandbox.
   */
  async start(name: string, options?: StartOptions): Promise<Sandbox> {
    return sandboxHandle(this.#api, await startSandbox(this.#api, name, options), false);
  }

  /**
   * Stops a sandbox and waits until it is `stopped` (`{ wait: false }` returns at once).
   *
   * @param name The sandbox name.
   * @param options Whether and how long to wait, and a signal.
   * @returns A handle on the sandbox.
   */
  async stop(name: string, options?: StopOptions): Promise<Sandbox> {
    return sandboxHandle(this.#api, await stopSandbox(this.#api, name, options), false);
  }

  /**
   * Stops a sandbox if it is starting or running (waiting for `stopped`), then starts it and waits
   * until it runs.
   *
   * @param name The sandbox name.
   * @param options How long each wait may take, and a signal.
   * @returns A handle on the sandbox.
   */
  async restart(name: string, options?: StartOptions): Promise<Sandbox> {
    return sandboxHandle(this.#api, await restartSandbox(this.#api, name, options), false);
  }

  /**
   * Removes a sandbox.
   *
   * @param name The sandbox name.
   * @param options A signal.
   */
  async remove(name: string, options?: RequestOptions): Promise<void> {
    await this.#api.remove(name, options);
  }
}
