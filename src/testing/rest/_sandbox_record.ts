/**
 * The data the local cloud keeps per sandbox, and the shapes the store takes and returns.
 *
 * @module
 */

/** The six sandbox states of msb-cloud. */
export type SandboxStatus = "created" | "starting" | "running" | "stopping" | "stopped" | "failed";

/** A JSON object, as parsed from a request body. */
export type JsonObject = { readonly [key: string]: unknown };

/** One sandbox as the store keeps it. Only the store changes it. */
export interface SandboxRecord {
  readonly id: string;
  readonly orgId: string;
  /** Creation order; the list order and what cursors point at. */
  readonly seq: number;
  readonly name: string;
  readonly slug: string;
  readonly status: SandboxStatus;
  readonly createdAt: string;
  /** When the last start was accepted. */
  readonly startedAt: string | null;
  /** When the last run ended (`stopped` or `failed`); `null` while a run is under way. */
  readonly stoppedAt: string | null;
  /** Why the last boot failed, or `null`. */
  readonly failure: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly ephemeral: boolean;
  /** The generation-specific spec or config, echoed in responses. */
  readonly spec: JsonObject;
}

/** What a create request asks for, once its generation's shape has been parsed. */
export interface NewSandbox {
  readonly name: string;
  readonly slug?: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly ephemeral: boolean;
  readonly spec: JsonObject;
}

/** How the next boot goes (from `faults.nextBoot`). */
export interface BootPlan {
  /** End in `failed` with this message. */
  readonly fail?: string | undefined;
  /** Boot time in milliseconds instead of the cloud's `bootDelayMs`. */
  readonly delayMs?: number | undefined;
}

/** Options of {@linkcode SandboxStore}. */
export interface SandboxStoreOptions {
  readonly bootDelayMs: number;
  readonly stopDelayMs: number;
  /** Consumes the plan for the next boot, if one was set. */
  readonly takeBootPlan: () => BootPlan | undefined;
}

/** One page of a listing. */
export interface Page {
  readonly items: readonly SandboxRecord[];
  /** The cursor of the next page, or `null` on the last one. */
  readonly nextCursor: string | null;
}

/** Which page to list. */
export interface PageQuery {
  readonly cursor?: string | undefined;
  readonly limit: number;
  readonly match?: ((record: SandboxRecord) => boolean) | undefined;
}
