/**
 * The local cloud's audit events: one `EventResponse` for every lifecycle change of every
 * sandbox (`sandbox_created`, `sandbox_starting`, `sandbox_running`, `sandbox_stopping`,
 * `sandbox_stopped`, `sandbox_failed`, `sandbox_renamed`, `sandbox_deleted`), category
 * `sandbox`, the API key as the actor, filtered by type and time and paged by cursor.
 *
 * @module
 */

import { ApiError } from "../app/_error_body.ts";
import { pageOf, type SeqPage } from "./_paging.ts";
import type { SandboxStore } from "./_store.ts";

/** One recorded event, as openapi `EventResponse` names its fields. */
export interface EventRecord {
  /** Recording order; what event cursors point at. */
  readonly seq: number;
  readonly id: string;
  readonly orgId: string;
  readonly category: "sandbox";
  readonly eventType: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly timestamp: string;
}

/** Which events to list. */
export interface EventQuery {
  readonly eventType?: string | undefined;
  /** Milliseconds since the epoch, inclusive. */
  readonly since?: number | undefined;
  /** Milliseconds since the epoch, inclusive. */
  readonly until?: number | undefined;
  readonly cursor?: string | undefined;
  readonly limit: number;
}

/** The id of the API key every event names as its actor. */
const API_KEY_ID = crypto.randomUUID();

/** The events of one local cloud. */
export class EventLog {
  readonly #events: EventRecord[] = [];

  /**
   * Records the store's changes from now on.
   *
   * @param store The cloud's sandboxes.
   */
  constructor(store: SandboxStore) {
    store.watch((record, change) => {
      this.#events.push({
        seq: this.#events.length + 1,
        id: crypto.randomUUID(),
        orgId: record.orgId,
        category: "sandbox",
        eventType: `sandbox_${change}`,
        payload: { sandbox_id: record.id, name: record.name, slug: record.slug },
        timestamp: new Date().toISOString(),
      });
    });
  }

  /**
   * Lists the events, oldest first.
   *
   * @param query The filters, cursor and page size.
   * @returns One page.
   */
  list(query: EventQuery): SeqPage<EventRecord> {
    const { eventType, since, until } = query;
    const match = (event: EventRecord): boolean => {
      const at = Date.parse(event.timestamp);
      return (eventType === undefined || event.eventType === eventType) &&
        (since === undefined || at >= since) && (until === undefined || at <= until);
    };
    return pageOf(this.#events, { cursor: query.cursor, limit: query.limit, match });
  }

  /**
   * Finds an event by id.
   *
   * @param id The UUID, in any letter case.
   * @returns The event.
   * @throws {ApiError} 404 `sandbox_not_found`, the code openapi's example gives this route's
   * 404 (the cloud's generic "resource not found").
   */
  byId(id: string): EventRecord {
    const event = this.#events.find((e) => e.id === id.toLowerCase());
    if (!event) {
      throw new ApiError(
        404,
        "sandbox_not_found",
        `Cannot find an event with id ${JSON.stringify(id)}`,
      );
    }
    return event;
  }

  /**
   * Writes one event as openapi `EventResponse`.
   *
   * @param event The event.
   * @returns Its JSON.
   */
  static response(event: EventRecord): Record<string, unknown> {
    return {
      id: event.id,
      org_id: event.orgId,
      category: event.category,
      event_type: event.eventType,
      actor: { kind: "api_key", api_key_id: API_KEY_ID, name: "local cloud key" },
      payload: event.payload,
      timestamp: event.timestamp,
    };
  }
}
