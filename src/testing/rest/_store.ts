/**
 * The local cloud's in-memory sandboxes: creation, lookup, the status machine with its timers,
 * readiness waits and cursor pagination. Shared by both wire generations, which differ only in
 * the JSON they read and write.
 *
 * @module
 */

import { MAX_TIMER_MS } from "../../config/_timer_ms.ts";
import { alreadyExists, ApiError, sandboxNotFound } from "../app/_error_body.ts";
import type {
  NewSandbox,
  Page,
  PageQuery,
  SandboxRecord,
  SandboxStoreOptions,
} from "./_sandbox_record.ts";
import { pageOf } from "./_paging.ts";
import { checkSlug, deriveSlug } from "./_slug.ts";
import { LogHistory } from "../logs/_exec_log_history.ts";

/** A lifecycle change: the sandbox's new status, `renamed` (name or slug), or `deleted`. */
export type SandboxChange = SandboxRecord["status"] | "renamed" | "deleted";

/** Hears every lifecycle change of every sandbox of a store. */
export type SandboxWatcher = (record: SandboxRecord, change: SandboxChange) => void;

type MutableRecord = { -readonly [K in keyof SandboxRecord]: SandboxRecord[K] };

/** The sandboxes of one local cloud. */
export class SandboxStore {
  /** The org every sandbox of this cloud belongs to. */
  readonly orgId: string = crypto.randomUUID();
  /** What the sandboxes' commands wrote, and their lifecycle changes as `system` entries. */
  readonly logs: LogHistory = new LogHistory();
  readonly #watchers = new Set<SandboxWatcher>();
  readonly #options: SandboxStoreOptions;
  readonly #records = new Map<string, MutableRecord>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #waiters = new Map<string, Set<() => void>>();
  #seq = 0;
  #closed = false;

  /**
   * Creates an empty store.
   *
   * @param options Delays and the boot-plan source.
   */
  constructor(options: SandboxStoreOptions) {
    this.#options = options;
  }

  /**
   * Adds a sandbox in state `created`.
   *
   * @param input The parsed create request.
   * @returns The new record.
   * @throws {ApiError} 409 when the name or slug is taken, 400 for an ill-formed slug.
   */
  create(input: NewSandbox): SandboxRecord {
    if (this.#find((r) => r.name === input.name)) throw alreadyExists("name", input.name);
    const slug = input.slug === undefined
      ? deriveSlug(input.name, (s) => this.#find((r) => r.slug === s) !== undefined)
      : this.#freeSlug(input.slug, undefined);
    const record: MutableRecord = {
      id: crypto.randomUUID(),
      orgId: this.orgId,
      seq: ++this.#seq,
      name: input.name,
      slug,
      status: "created",
      createdAt: now(),
      startedAt: null,
      stoppedAt: null,
      failure: null,
      labels: input.labels,
      ephemeral: input.ephemeral,
      spec: input.spec,
    };
    this.#records.set(record.id, record);
    this.#emit(record, "created");
    return record;
  }

  /**
   * Finds a sandbox by name.
   *
   * @param name The exact name.
   * @returns The record.
   * @throws {ApiError} 404 `sandbox_not_found`.
   */
  byName(name: string): SandboxRecord {
    const record = this.#find((r) => r.name === name);
    if (!record) throw sandboxNotFound(`named ${JSON.stringify(name)}`);
    return record;
  }

  /**
   * Finds a sandbox by id (any letter case).
   *
   * @param id The UUID.
   * @returns The record.
   * @throws {ApiError} 404 `sandbox_not_found`, also for an ill-formed id.
   */
  byId(id: string): SandboxRecord {
    const record = this.#records.get(id.toLowerCase());
    if (!record) throw sandboxNotFound(`with id ${JSON.stringify(id)}`);
    return record;
  }

  /**
   * Lists sandboxes in creation order, one page at a time.
   *
   * @param query The cursor (from a previous page), page size and filter.
   * @returns The page and the cursor of the next one.
   * @throws {ApiError} 400 `invalid_request` for a cursor this cloud did not hand out.
   */
  list(query: PageQuery): Page {
    return pageOf(this.#records.values(), query);
  }

  /**
   * Starts a sandbox: `created`, `stopped` or `failed` → `starting` → `running` (or `failed` when
   * the boot plan says so) after the boot delay.
   *
   * @param record The sandbox.
   * @throws {ApiError} 409 `invalid_state_transition` when it is starting, running or stopping.
   */
  start(record: SandboxRecord): void {
    const r = this.#mutable(record);
    if (r.status === "starting" || r.status === "running" || r.status === "stopping") {
      throw invalidTransition("start", r);
    }
    const plan = this.#options.takeBootPlan() ?? {};
    Object.assign(r, { status: "starting", startedAt: now(), stoppedAt: null, failure: null });
    this.#emit(r, "starting");
    this.#schedule(r.id, plan.delayMs ?? this.#options.bootDelayMs, () => {
      if (plan.fail === undefined) r.status = "running";
      else Object.assign(r, { status: "failed", failure: plan.fail, stoppedAt: now() });
      this.#emit(r, r.status);
      this.#settle(r.id);
    });
  }

  /**
   * Stops a sandbox: `starting` (cancelling its boot) or `running` → `stopping` → `stopped`
   * after the stop delay.
   *
   * @param record The sandbox.
   * @throws {ApiError} 409 `invalid_state_transition` in any other state.
   */
  stop(record: SandboxRecord): void {
    const r = this.#mutable(record);
    if (r.status !== "starting" && r.status !== "running") throw invalidTransition("stop", r);
    r.status = "stopping";
    this.#emit(r, "stopping");
    this.#settle(r.id);
    this.#schedule(r.id, this.#options.stopDelayMs, () => {
      Object.assign(r, { status: "stopped", stoppedAt: now() });
      this.#emit(r, "stopped");
    });
  }

  /**
   * Deletes a sandbox in any state.
   *
   * @param record The sandbox.
   */
  remove(record: SandboxRecord): void {
    this.#records.delete(record.id);
    this.#clearTimer(record.id);
    this.#settle(record.id);
    this.#emit(record, "deleted");
    this.logs.forget(record.id);
  }

  /**
   * Calls `watcher` on every lifecycle change from now on (creation, each new status, deletion).
   *
   * @param watcher Hears the changes; it must not throw.
   * @returns A function that stops the calls.
   */
  watch(watcher: SandboxWatcher): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  /**
   * Renames a sandbox and/or changes its slug.
   *
   * @param record The sandbox.
   * @param change The new name and slug; `undefined` keeps the current one.
   * @throws {ApiError} 409 when taken by another sandbox, 400 for an ill-formed slug.
   */
  rename(
    record: SandboxRecord,
    change: { readonly name?: string | undefined; readonly slug?: string | undefined },
  ): void {
    const r = this.#mutable(record);
    const { name, slug } = change;
    if (name !== undefined && this.#find((o) => o.name === name && o !== r)) {
      throw alreadyExists("name", name);
    }
    if (slug !== undefined) r.slug = this.#freeSlug(slug, r);
    if (name !== undefined) r.name = name;
    this.#emit(r, "renamed");
  }

  /**
   * Resolves once the sandbox leaves `starting` (at once if it is not starting), is deleted, the
   * store closes, or after `timeoutMs`, whichever comes first.
   *
   * @param record The sandbox.
   * @param timeoutMs The wait budget in milliseconds.
   * @returns A promise that never rejects.
   */
  waitWhileStarting(record: SandboxRecord, timeoutMs: number): Promise<void> {
    if (record.status !== "starting" || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(record.id) ?? new Set();
      this.#waiters.set(record.id, waiters);
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0 && this.#waiters.get(record.id) === waiters) {
          this.#waiters.delete(record.id);
        }
        resolve();
      };
      const timer = setTimeout(done, Math.min(timeoutMs, MAX_TIMER_MS));
      waiters.add(done);
    });
  }

  /** Clears every timer and releases every waiter; later transitions schedule nothing. */
  close(): void {
    this.#closed = true;
    for (const id of [...this.#timers.keys()]) this.#clearTimer(id);
    for (const id of [...this.#waiters.keys()]) this.#settle(id);
  }

  #emit(record: SandboxRecord, change: SandboxChange): void {
    if (change !== "deleted" && change !== "renamed") {
      this.logs.system(record.id, `sandbox ${record.name} ${change}`);
    }
    for (const watcher of [...this.#watchers]) watcher(record, change);
  }

  #find(predicate: (record: SandboxRecord) => boolean): SandboxRecord | undefined {
    for (const record of this.#records.values()) if (predicate(record)) return record;
    return undefined;
  }

  #freeSlug(slug: string, owner: SandboxRecord | undefined): string {
    checkSlug(slug);
    if (this.#find((o) => o.slug === slug && o !== owner)) throw alreadyExists("slug", slug);
    return slug;
  }

  #mutable(record: SandboxRecord): MutableRecord {
    const r = this.#records.get(record.id);
    if (!r) throw sandboxNotFound(`with id ${JSON.stringify(record.id)}`);
    return r;
  }

  /** Runs a transition after `ms`, or at once when `ms` is 0, replacing any pending one. */
  #schedule(id: string, ms: number, transition: () => void): void {
    this.#clearTimer(id);
    if (ms === 0) return transition();
    if (this.#closed) return;
    this.#timers.set(
      id,
      setTimeout(() => {
        this.#timers.delete(id);
        transition();
      }, ms),
    );
  }

  #clearTimer(id: string): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
  }

  #settle(id: string): void {
    for (const done of [...(this.#waiters.get(id) ?? [])]) done();
    this.#waiters.delete(id);
  }
}

function now(): string {
  return new Date().toISOString();
}

function invalidTransition(action: "start" | "stop", record: SandboxRecord): ApiError {
  return new ApiError(
    409,
    "invalid_state_transition",
    `Cannot ${action} sandbox ${JSON.stringify(record.name)} while it is ${record.status}`,
  );
}
