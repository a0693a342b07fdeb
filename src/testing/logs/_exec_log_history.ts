/**
 * The local cloud's log history: what each sandbox's commands wrote (per exec session) and its
 * lifecycle changes, kept in memory in arrival order, bounded by entry count and bytes (the
 * oldest entries go first), with a subscription hook for live followers.
 *
 * A live follower (an open log stream) never loses an entry to the bound: a command whose output
 * would push out an entry some follower has not been sent yet waits ({@linkcode LogHistory.room})
 * until the followers move on, as a pipe makes a writer wait for its reader. So one log reader
 * that stops reading without disconnecting pauses, a history's worth later, the commands that
 * write to the log.
 *
 * @module
 */

/** Where a log entry came from, as msb-cloud's log stream names it. */
export type LogSource = "stdout" | "stderr" | "output" | "system";

/** One entry of the history. */
export interface LogEntry {
  /** Position in the cloud-wide history: starts at 1, increases by one per entry. */
  readonly seq: number;
  /** The sandbox id. */
  readonly sandboxId: string;
  /** `stdout`/`stderr` of a command, `output` of a command under a terminal, or `system`. */
  readonly source: LogSource;
  /** The exec session (its frame id), or `null` for `system` entries. */
  readonly sessionId: number | null;
  /** When the entry was recorded, in milliseconds since the Unix epoch. */
  readonly timestamp: number;
  /** The bytes (UTF-8 text for `system` entries). */
  readonly data: Uint8Array;
  /** Its SSE event, written by the first log stream that sends it and shared by the later ones. */
  event?: string;
}

/** Receives each new entry. */
export type LogListener = (entry: LogEntry) => void;

/** Bounds of a {@linkcode LogHistory}. */
export interface LogHistoryOptions {
  /** The most entries kept. @default {100_000} */
  readonly maxEntries?: number;
  /** The most bytes of data kept. @default {64 MiB} */
  readonly maxBytes?: number;
}

/** A bounded, cloud-wide log history. */
export class LogHistory {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #entries: LogEntry[] = [];
  #head = 0;
  #bytes = 0;
  #seq = 0;
  readonly #listeners = new Set<LogListener>();
  /** Per live follower: the `seq` of the last entry it has been sent. */
  readonly #followers = new Set<() => number>();
  /** Writers waiting in {@linkcode LogHistory.room}, woken when a follower moves on or leaves. */
  #waiters: (() => void)[] = [];

  /**
   * Creates an empty history.
   *
   * @param options The bounds.
   */
  constructor(options: LogHistoryOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  /** The number of entries kept. */
  get size(): number {
    return this.#entries.length - this.#head;
  }

  /**
   * Records output of an exec session (the bytes are copied).
   *
   * @param sandboxId The sandbox id.
   * @param source `stdout`, `stderr` or `output`.
   * @param sessionId The session's frame id.
   * @param data The bytes.
   * @returns The entry.
   */
  output(
    sandboxId: string,
    source: Exclude<LogSource, "system">,
    sessionId: number,
    data: Uint8Array,
  ): LogEntry {
    return this.#append({ sandboxId, source, sessionId, data: data.slice() });
  }

  /**
   * Records a lifecycle message.
   *
   * @param sandboxId The sandbox id.
   * @param text The message.
   * @returns The entry.
   */
  system(sandboxId: string, text: string): LogEntry {
    return this.#append({
      sandboxId,
      source: "system",
      sessionId: null,
      data: new TextEncoder().encode(text),
    });
  }

  /**
   * The entries of one sandbox (or all), oldest first.
   *
   * @param sandboxId The sandbox id, or `undefined` for every sandbox.
   * @param afterSeq Only entries with a larger `seq`.
   * @returns The entries.
   */
  entries(sandboxId?: string, afterSeq = 0): LogEntry[] {
    const result: LogEntry[] = [];
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i]!;
      if (entry.seq > afterSeq && (sandboxId === undefined || entry.sandboxId === sandboxId)) {
        result.push(entry);
      }
    }
    return result;
  }

  /** The `seq` of the latest entry recorded (0 before the first), kept or not. */
  get lastSeq(): number {
    return this.#seq;
  }

  /** The number of live subscriptions. */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /**
   * Records an entry of any source (the bytes are copied).
   *
   * @param sandboxId The sandbox id.
   * @param source The source.
   * @param sessionId The session's frame id, or `null`.
   * @param data The bytes.
   * @returns The entry.
   */
  record(
    sandboxId: string,
    source: LogSource,
    sessionId: number | null,
    data: Uint8Array,
  ): LogEntry {
    return this.#append({ sandboxId, source, sessionId, data: data.slice() });
  }

  /**
   * Visits the kept entries with a `seq` above `afterSeq`, oldest first, without copying the
   * history, until `visit` returns `false`. `visit` must not record entries.
   *
   * @param afterSeq Only entries with a larger `seq`.
   * @param visit Called per entry; return `false` to stop.
   */
  scan(afterSeq: number, visit: (entry: LogEntry) => boolean): void {
    let low = this.#head;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#entries[mid]!.seq <= afterSeq) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < this.#entries.length; i++) {
      if (visit(this.#entries[i]!) === false) return;
    }
  }

  /**
   * Calls `listener` with every entry recorded from now on, in order. A listener that throws is
   * not called again.
   *
   * @param listener Receives the entries.
   * @returns A function that stops the calls.
   */
  subscribe(listener: LogListener): () => void {
    const wrapped: LogListener = (entry) => listener(entry);
    this.#listeners.add(wrapped);
    return () => this.#listeners.delete(wrapped);
  }

  /**
   * Registers a live follower, whose unsent entries the bound must not drop. Call
   * {@linkcode LogHistory.progressed} each time it has been sent more.
   *
   * @param position Gives the `seq` of the last entry the follower has been sent.
   * @returns A function that unregisters the follower.
   */
  follow(position: () => number): () => void {
    this.#followers.add(position);
    return () => {
      this.#followers.delete(position);
      this.progressed();
    };
  }

  /** Tells waiting writers that a follower moved on. */
  progressed(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Waits until recording an entry of `bytes` bytes would not push out an entry that a live
   * follower has not been sent yet.
   *
   * @param bytes The size of the entry about to be recorded.
   * @returns A promise that resolves when there is room.
   */
  async room(bytes: number): Promise<void> {
    while (this.#wouldDropUnsent(bytes)) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Whether recording `bytes` more would evict an entry after the slowest follower's position. */
  #wouldDropUnsent(bytes: number): boolean {
    if (this.#followers.size === 0) return false;
    let slowest = Infinity;
    for (const position of this.#followers) slowest = Math.min(slowest, position());
    let size = this.size + 1;
    let total = this.#bytes + bytes;
    for (let i = this.#head; size > this.#maxEntries || (total > this.#maxBytes && size > 1); i++) {
      const entry = this.#entries[i]!;
      if (entry.seq > slowest) return true;
      size--;
      total -= entry.data.length;
    }
    return false;
  }

  /**
   * Drops every entry of a sandbox (when it is deleted).
   *
   * @param sandboxId The sandbox id.
   */
  forget(sandboxId: string): void {
    const kept = this.entries().filter((entry) => entry.sandboxId !== sandboxId);
    this.#entries = kept;
    this.#head = 0;
    this.#bytes = kept.reduce((sum, entry) => sum + entry.data.length, 0);
  }

  #append(fields: Omit<LogEntry, "seq" | "timestamp">): LogEntry {
    const entry: LogEntry = { seq: ++this.#seq, timestamp: Date.now(), ...fields };
    this.#entries.push(entry);
    this.#bytes += entry.data.length;
    while (this.size > this.#maxEntries || (this.#bytes > this.#maxBytes && this.size > 1)) {
      this.#bytes -= this.#entries[this.#head]!.data.length;
      this.#entries[this.#head++] = undefined as unknown as LogEntry;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    for (const listener of [...this.#listeners]) {
      try {
        listener(entry);
      } catch {
        this.#listeners.delete(listener);
      }
    }
    return entry;
  }
}
