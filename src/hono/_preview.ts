// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// One preview request, once every check passed: the sandbox is read, a connection of its own
// opened to the port, the request sent with the fields and body the route allows, and the answer
// streamed back with the fields the app's origin allows. The request's signal (the client going
// away) closes the connection at any point; the head must come within `maxHeadMs`.

import type { Microsandbox } from "../client/microsandbox.ts";
import { ProtocolError } from "../errors.ts";
import { byteLimit } from "./_body.ts";
import type { ResolvedPreview } from "./_preview_options.ts";
import { previewRequestHeaders, previewResponseHeaders } from "./_preview_headers.ts";
import { RouteError } from "./errors.ts";

/** Sends `incoming` to `url` (on `port`) in the sandbox `name`, and answers what it answers. */
export async function preview(
  client: Microsandbox,
  name: string,
  port: number,
  url: URL,
  incoming: Request,
  options: ResolvedPreview,
): Promise<Response> {
  const deadline = headDeadline(options.maxHeadMs);
  const signal = AbortSignal.any([incoming.signal, deadline.signal]);
  try {
    const sandbox = await client.sandboxes.get(name, { signal });
    // A streamed body needs `duplex`, which the DOM lib's `RequestInit` does not list yet.
    const request = new Request(url, {
      method: incoming.method,
      headers: previewRequestHeaders(incoming.headers, options.stripHeaders),
      body: incoming.body?.pipeThrough(byteLimit(options.maxBodyBytes)) ?? null,
      redirect: "manual",
      signal,
      duplex: "half",
    } as RequestInit);
    const response = await sandbox.fetch(port, request);
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: previewResponseHeaders(response.headers, options.csp),
    });
  } catch (error) {
    throw deadline.signal.aborted ? deadline.signal.reason : previewFailure(error);
  } finally {
    deadline.clear();
  }
}

/** A signal that aborts with a 504 after `ms`, unless cleared first (once the head is in). */
export function headDeadline(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    const error = new RouteError(
      "timeout",
      `The sandbox's server did not answer within ${ms} ms.`,
    );
    controller.abort(error);
  }, ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** A malformed answer is the sandbox server's failure, in words of the preview route. */
function previewFailure(error: unknown): unknown {
  if (!(error instanceof ProtocolError)) return error;
  return new RouteError(
    "upstream_error",
    "The sandbox's server did not answer with valid HTTP/1.1.",
    { cause: error },
  );
}
