/**
 * The sandbox routes both wire generations share (create, list, and get/delete/start/stop by
 * name), written once against a {@linkcode WireShape} that reads and writes one generation's
 * JSON.
 *
 * @module
 */

import { type Context, Hono } from "hono";
import { invalidRequest } from "../app/_error_body.ts";
import { parseLabelFilter, parseLimit, parseStart, parseWait } from "./_query.ts";
import type { NewSandbox, Page, SandboxRecord } from "./_sandbox_record.ts";
import type { SandboxStore } from "./_store.ts";

/** One wire generation's JSON, as the shared routes need it. */
export interface WireShape {
  /**
   * Reads a create body.
   *
   * @param body The parsed JSON body.
   * @returns What to create.
   */
  parseCreate(body: unknown): NewSandbox;
  /**
   * Writes one sandbox.
   *
   * @param record The sandbox.
   * @returns Its JSON.
   */
  sandbox(record: SandboxRecord): unknown;
  /**
   * Writes one page of a listing.
   *
   * @param page The page.
   * @returns Its JSON.
   */
  page(page: Page): unknown;
  /** Whether `wait_for`/`wait_timeout` are honoured (`true`) or ignored. */
  readonly waits: boolean;
  /**
   * Milliseconds a create with `start=true` waits for the sandbox to leave `starting` without
   * being asked to (the seed cloud answers once the sandbox runs); `undefined` to answer at once.
   */
  readonly startedCreateWaitMs?: number | undefined;
  /** Whether the `labels` list filter is honoured (`true`) or ignored. */
  readonly labelFilter: boolean;
}

/** Finds the sandbox a request addresses, or throws a 404 `ApiError`. */
export type SandboxLookup = (c: Context) => SandboxRecord;

/** The shared sandbox routes of one generation, over one store. */
export class SandboxRoutes {
  readonly #store: SandboxStore;
  readonly #shape: WireShape;

  /**
   * Binds the routes to a store and a generation's shape.
   *
   * @param store The cloud's sandboxes.
   * @param shape The generation's JSON.
   */
  constructor(store: SandboxStore, shape: WireShape) {
    this.#store = store;
    this.#shape = shape;
  }

  /**
   * Builds the routes both generations have, relative to `/v1`.
   *
   * @returns An app with `POST|GET /sandboxes` and the by-name routes.
   */
  common(): Hono {
    const app = new Hono();
    app.post("/sandboxes", (c) => this.#create(c));
    app.get("/sandboxes", (c) => this.#list(c));
    this.addActions(
      app,
      "/sandboxes/by-name/:name",
      (c) => this.#store.byName(c.req.param("name") ?? ""),
    );
    return app;
  }

  /**
   * Adds `GET` and `DELETE` at `path` and `POST` at `path/start` and `path/stop`. Start and stop
   * answer at once with `starting` and `stopping` (a start may first wait for readiness).
   *
   * @param app The app to add to.
   * @param path The route path of one sandbox, with its parameter.
   * @param lookup Finds the sandbox from the request.
   */
  addActions(app: Hono, path: string, lookup: SandboxLookup): void {
    const store = this.#store;
    app.get(path, (c) => this.reply(c, lookup(c)));
    app.delete(path, (c) => {
      const record = lookup(c);
      store.remove(record);
      return c.json({ message: `Sandbox ${JSON.stringify(record.name)} deleted` });
    });
    app.post(`${path}/start`, async (c) => {
      const wait = this.#waitBudget(c);
      const record = lookup(c);
      store.start(record);
      if (wait !== undefined) await store.waitWhileStarting(record, wait);
      return this.reply(c, record);
    });
    app.post(`${path}/stop`, (c) => {
      const record = lookup(c);
      store.stop(record);
      return this.reply(c, record);
    });
  }

  /**
   * Answers with one sandbox in the generation's shape.
   *
   * @param c The request context.
   * @param record The sandbox.
   * @returns The 200 response.
   */
  reply(c: Context, record: SandboxRecord): Response {
    return c.json(this.#shape.sandbox(record));
  }

  async #create(c: Context): Promise<Response> {
    const start = parseStart(c.req.query("start"));
    const wait = this.#waitBudget(c);
    if (wait !== undefined && !start) {
      throw invalidRequest("Cannot wait for a sandbox that is not started: add start=true");
    }
    const record = this.#store.create(this.#shape.parseCreate(await readJson(c)));
    if (start) this.#store.start(record);
    const budget = wait ?? (start ? this.#shape.startedCreateWaitMs : undefined);
    if (budget !== undefined) await this.#store.waitWhileStarting(record, budget);
    return this.reply(c, record);
  }

  #list(c: Context): Response {
    const limit = parseLimit(c.req.query("limit"));
    const cursor = c.req.query("cursor") || undefined;
    const match = this.#shape.labelFilter ? parseLabelFilter(c.req.query("labels")) : undefined;
    return c.json(this.#shape.page(this.#store.list({ cursor, limit, match })));
  }

  #waitBudget(c: Context): number | undefined {
    if (!this.#shape.waits) return undefined;
    return parseWait(c.req.query("wait_for"), c.req.query("wait_timeout"));
  }
}

/**
 * Reads a request body as JSON.
 *
 * @param c The request context.
 * @returns The parsed value.
 * @throws {ApiError} 400 `invalid_request` when the body is empty or not JSON.
 */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) throw invalidRequest("Cannot read an empty request body: send a JSON object");
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest(
      "Cannot parse the request body as JSON: send a JSON object with Content-Type: application/json",
    );
  }
}
