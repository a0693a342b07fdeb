// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The audit events of today's cloud: `EventResponse` from `GET /v1/events/{event_id}`, pages of
// them (`PaginatedEventResponse`) from `GET /v1/events`, and the filters of that listing.

import { InvalidConfigError } from "../errors.ts";
import type { AuditEvent, EventActor } from "../models/event.ts";
import { currentPage, pageParams } from "./_current_page.ts";
import {
  anyJson,
  date,
  decodeJson,
  type JsonCodec,
  object,
  optional,
  required,
  string,
  taggedBy,
} from "./_json_codec.ts";
import type { WireEventPage, WireEventQuery } from "./wire_adapter.ts";

type ActorOf<K extends EventActor["kind"]> = Extract<EventActor, { kind: K }>;

/** A variant of `EventActor`: its fields, with `kind` set to its tag. */
function actor<K extends EventActor["kind"]>(
  kind: K,
  fields: JsonCodec<Omit<ActorOf<K>, "kind">>,
): JsonCodec<EventActor> {
  return { decode: (raw) => ({ kind, ...fields.decode(raw) }) as ActorOf<K> };
}

const ACTOR: JsonCodec<EventActor> = taggedBy<EventActor>("kind", {
  user: actor(
    "user",
    object({ userId: required(string), label: required(string), redactedEmail: required(string) }),
  ),
  api_key: actor("api_key", object({ apiKeyId: required(string), name: required(string) })),
  system: actor("system", object({ code: required(string), label: required(string) })),
  ssh_key: actor(
    "ssh_key",
    object({ keyId: required(string), fingerprint: required(string), label: optional(string) }),
  ),
}, (wireKind) => ({ kind: "unknown", wireKind }));

const EVENT: JsonCodec<AuditEvent> = object({
  id: required(string),
  orgId: required(string),
  category: required(string),
  eventType: required(string),
  actor: required(ACTOR),
  payload: required(anyJson),
  timestamp: required(date),
});

const EVENT_PAGE = currentPage(EVENT);

/** Decodes one `EventResponse`. */
export function decodeEvent(body: unknown): AuditEvent {
  return decodeJson(EVENT, body, "event");
}

/** Decodes one `PaginatedEventResponse`. */
export function decodeEventsPage(body: unknown): WireEventPage {
  const { items, ...page } = decodeJson(EVENT_PAGE, body, "page");
  return { events: items, ...page };
}

/**
 * The query of `GET /v1/events`: `event_type`, `since` and `until` (RFC 3339, inclusive) when
 * given, then the page's; an ill-formed filter throws an `InvalidConfigError` here, before any
 * request.
 */
export function eventsQuery(query: WireEventQuery): string {
  const { eventType, since, until } = query;
  if (eventType !== undefined && (typeof eventType !== "string" || eventType === "")) {
    throw new InvalidConfigError(
      `events eventType must be a non-empty string such as "sandbox_created", got ${
        JSON.stringify(eventType)
      }`,
    );
  }
  checkDate("since", since);
  checkDate("until", until);
  if (since && until && since.getTime() > until.getTime()) {
    throw new InvalidConfigError(
      `events since (${since.toISOString()}) must not be after until (${until.toISOString()})`,
    );
  }
  const params = new URLSearchParams();
  if (eventType !== undefined) params.set("event_type", eventType);
  if (since) params.set("since", since.toISOString());
  if (until) params.set("until", until.toISOString());
  for (const [name, value] of pageParams(query)) params.set(name, value);
  return params.toString();
}

function checkDate(name: string, value: Date | undefined): void {
  if (value === undefined) return;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidConfigError(`events ${name} must be a valid Date, got ${String(value)}`);
  }
}
