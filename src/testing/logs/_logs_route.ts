/**
 * The log stream route of both wire generations, `GET /v1/sandboxes/{sandbox_id}/logs`
 * (protocol.md §7): `sources`, `follow`, `Last-Event-ID` (or `cursor`), and a
 * `text/event-stream` body from {@linkcode logStreamBody}.
 *
 * `follow=false` is refused with 400 `invalid_request`, as msb-cloud has no bounded log
 * snapshots; `follow=true` or no `follow` streams until the sandbox stops or is deleted. A
 * sandbox that is already stopped or failed gets its history, then `event: end`.
 *
 * @module
 */

import { Hono } from "hono";
import { LogCursor } from "../../logs/log_cursor.ts";
import type { CloudContext } from "../app/_app.ts";
import { invalidRequest } from "../app/_error_body.ts";
import type { LogSource } from "./_exec_log_history.ts";
import { LOG_CURSOR_GENERATION, logStreamBody } from "./_logs_stream.ts";

const SOURCES: readonly LogSource[] = ["stdout", "stderr", "output", "system"];

/**
 * Builds the log route, relative to `/v1`.
 *
 * @param context The cloud's state.
 * @returns The routes, to mount under `/v1`.
 */
export function logRoutes(context: CloudContext): Hono {
  const app = new Hono();
  app.get("/sandboxes/:sandbox_id/logs", (c) => {
    const record = context.store.byId(c.req.param("sandbox_id") ?? "");
    const sources = parseSources(c.req.query("sources"));
    const follow = c.req.query("follow");
    if (follow === "false") {
      throw invalidRequest("msb-cloud has no bounded log snapshots: use follow=true");
    }
    if (follow !== undefined && follow !== "true") {
      throw invalidRequest(`Cannot read follow=${JSON.stringify(follow)}: use true`);
    }
    const afterSeq = parseCursor(c.req.header("last-event-id") ?? c.req.query("cursor"));
    const body = logStreamBody({
      store: context.store,
      sandboxId: record.id,
      sources,
      afterSeq,
      heartbeatMs: context.logHeartbeatMs,
      ended: record.status === "stopped" || record.status === "failed",
      fault: context.faults.takeLogFault(),
      signals: [context.closing],
    });
    return new Response(body, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
    });
  });
  return app;
}

function parseSources(query: string | undefined): Set<LogSource> {
  if (query === undefined) return new Set(SOURCES);
  const sources = new Set<LogSource>();
  for (const name of query.split(",")) {
    if (!(SOURCES as readonly string[]).includes(name)) {
      throw invalidRequest(
        `Cannot stream log source ${JSON.stringify(name)}: use a comma-separated list of ` +
          SOURCES.join(", "),
      );
    }
    sources.add(name as LogSource);
  }
  return sources;
}

/** The seq to resume after: 0 without a cursor or with the empty one. */
function parseCursor(text: string | undefined): number {
  if (text === undefined) return 0;
  let cursor: LogCursor;
  try {
    cursor = LogCursor.parse(text.trim());
  } catch (error) {
    throw invalidRequest(`Cannot resume from cursor ${JSON.stringify(text)}: ${message(error)}`);
  }
  if (cursor.isEmpty()) return 0;
  const [position] = cursor.positions;
  if (cursor.positions.length !== 1 || position!.generation !== LOG_CURSOR_GENERATION) {
    throw invalidRequest(
      `Cannot resume from cursor ${JSON.stringify(text)}: it was not handed out by this cloud`,
    );
  }
  const offset = position!.offset;
  return offset > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(offset);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
