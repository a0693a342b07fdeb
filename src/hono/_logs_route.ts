// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Hono } from "hono";
import { resumeCursor } from "../http/resume_cursor.ts";
import { toNdjsonResponse } from "../http/to_ndjson_response.ts";
import { toSseResponse } from "../http/to_sse_response.ts";
import { LogCursor } from "../logs/log_cursor.ts";
import { LOG_SOURCES, type LogSource } from "../logs/log_entry.ts";
import type { Guard } from "./_guard.ts";
import { acceptedFormat } from "./_stream_responses.ts";
import { RouteError } from "./errors.ts";
import type { Principal } from "./options.ts";

/**
 * `GET /:name/logs`: the sandbox's log through `toSseResponse` (each event's `id` its cursor, so
 * `EventSource` resumes by itself) or `toNdjsonResponse`, from `Last-Event-ID` or `?cursor=`. The
 * upstream request ends when the client goes away.
 */
export function logsRoute<P extends Principal>(app: Hono, guard: Guard<P>): void {
  app.get("/:name/logs", async (c) => {
    const { principal, client } = await guard.admit(c);
    const name = await guard.name(c, principal);
    const sources = parseSources(c.req.query("sources"));
    const cursor = parseCursor(resumeCursor(c.req.raw));
    const signal = c.req.raw.signal;
    const sandbox = await client.sandboxes.get(name, { signal });
    const entries = sandbox.logs({ sources, cursor, signal });
    return acceptedFormat(c.req.raw, "sse") === "ndjson"
      ? toNdjsonResponse(entries, { signal })
      : toSseResponse(entries, { signal });
  });
}

function parseSources(text: string | undefined): LogSource[] | undefined {
  if (!text) return undefined;
  const sources = text.split(",").map((each) => each.trim()).filter(Boolean);
  for (const source of sources) {
    if (!(LOG_SOURCES as readonly string[]).includes(source)) {
      throw new RouteError(
        "invalid_request",
        `Unknown log source; use a comma-separated list of ${LOG_SOURCES.join(", ")}.`,
      );
    }
  }
  return sources as LogSource[];
}

/** The cursor to resume after, checked before any request. */
function parseCursor(text: string | undefined): LogCursor | undefined {
  if (text === undefined) return undefined;
  try {
    return LogCursor.parse(text);
  } catch {
    throw new RouteError(
      "invalid_request",
      "The log cursor is not valid; start again without one.",
    );
  }
}
