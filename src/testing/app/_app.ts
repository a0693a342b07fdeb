/**
 * The local cloud's Hono app: the request pipeline every route group sits behind (record,
 * authenticate `/v1`, inject faults, route) and the JSON answers for unknown routes and errors.
 * Each concern (REST, and later logs and exec) adds itself as a {@linkcode RouteGroup}.
 *
 * @module
 */

import { Hono, type MiddlewareHandler } from "hono";
import type { WireGeneration } from "../../config/client_options.ts";
import { ApiError, errorResponse } from "./_error_body.ts";
import type { ExecHost } from "../exec/_exec_host.ts";
import type { FsHost } from "../fs/_fs_host.ts";
import type { FaultPlan } from "./_faults.ts";
import type { SandboxStore } from "../rest/_store.ts";
import type { OrgDirectory } from "../rest/_org.ts";
import type { RecordedRequest } from "../recorded_request.ts";
import type { VolumeStore } from "../volumes/_volume_store.ts";

/** What route groups share: one cloud's settings, sandboxes, faults and request log. */
export interface CloudContext {
  readonly apiKey: string;
  readonly generation: WireGeneration;
  readonly store: SandboxStore;
  readonly faults: FaultPlan;
  readonly requests: RecordedRequest[];
  /** The processes and sandbox directories behind the exec routes. */
  readonly exec: ExecHost;
  /** The guest filesystem behind the `agent` route (the same sandbox directories). */
  readonly fs: FsHost;
  /** The session ids the `agent` route grants: `[min, max)`. */
  readonly agentIdRange: readonly [number, number];
  /** The boot delay, reported in `core.ready`. */
  readonly bootDelayMs: number;
  /** Milliseconds of silence after which a log stream sends a `: ping` comment. */
  readonly logHeartbeatMs: number;
  /** Aborted when the cloud closes: open log streams end. */
  readonly closing: AbortSignal;
  /** The organisation and its members. */
  readonly org: OrgDirectory;
  /** The volumes and their directories (current generation only). */
  readonly volumes: VolumeStore;
}

/** Builds the routes of one concern, relative to `/v1`. */
export type RouteGroup = (context: CloudContext) => Hono;

/**
 * Builds the app: every request is recorded, `/v1` requires the bearer key and then passes the
 * fault middleware, and the route groups are mounted under `/v1`.
 *
 * @param context The cloud's state.
 * @param groups The route groups, mounted in order.
 * @returns The app; serve it with `app.fetch`.
 */
export function buildApp(context: CloudContext, groups: readonly RouteGroup[]): Hono {
  const app = new Hono();
  app.use(recordRequests(context.requests));
  app.use("/v1/*", requireBearer(context.apiKey));
  app.use("/v1/*", context.faults.middleware);
  for (const group of groups) app.route("/v1", group(context));
  app.notFound((c) =>
    errorResponse(404, "not_found", `No route for ${c.req.method} ${c.req.path}`)
  );
  app.onError((error) => {
    if (error instanceof ApiError) return error.toResponse();
    return errorResponse(500, "internal_error", "The local cloud failed to handle the request");
  });
  return app;
}

function recordRequests(requests: RecordedRequest[]): MiddlewareHandler {
  return async (c, next) => {
    const at = performance.now();
    const url = new URL(c.req.url);
    const body = isUpload(c.req.header("content-type")) ? "" : await c.req.text();
    requests.push({
      method: c.req.method,
      url: url.pathname + url.search,
      headers: Object.fromEntries(c.req.raw.headers),
      body,
      at,
    });
    await next();
  };
}

/** A raw upload streams to its route: buffering it here would hold all of it in memory. */
function isUpload(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/octet-stream";
}

function requireBearer(apiKey: string): MiddlewareHandler {
  const expected = new TextEncoder().encode(`Bearer ${apiKey}`);
  return async (c, next) => {
    const given = new TextEncoder().encode(c.req.header("authorization") ?? "");
    if (!sameBytes(given, expected)) {
      return errorResponse(401, "invalid_api_key", "unauthorized", {
        "www-authenticate": "Bearer",
      });
    }
    return await next();
  };
}

/** Compares in time that depends only on the lengths, not on where the bytes differ. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ b[i]!;
  return diff === 0;
}
