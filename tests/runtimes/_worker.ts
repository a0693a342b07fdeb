// The Cloudflare Worker of the workerd runner. Its fetch handler runs the public-API smoke suite
// on /smoke and serves the Hono adapter's app on /api/*: with a client built per request, or, for
// requests to the host `default.*`, with the middleware's default client. The cloud's URL, key and
// isolation come from the Worker's bindings, as a deployed Worker gets them.

import type { Hono } from "hono";
import { Microsandbox } from "../../mod.ts";
import { adapterApp } from "./_adapter_app.ts";
import { runSmoke } from "./_smoke.ts";

/** The bindings the runner gives the Worker. */
interface Env {
  MSB_API_URL: string;
  MSB_API_KEY: string;
  MSB_ISOLATION: string;
}

let perRequest: Hono | undefined;
let byDefault: Hono | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.hostname.startsWith("default.")) {
      byDefault ??= adapterApp();
      return await byDefault.fetch(request, env);
    }
    if (url.pathname !== "/smoke") {
      // Workers forbid I/O objects (such as an agent socket) to serve more than one request.
      perRequest ??= adapterApp((c) => Microsandbox.fromEnv(c.env as Record<string, string>));
      return await perRequest.fetch(request, env);
    }
    try {
      const result = await runSmoke({
        url: env.MSB_API_URL,
        apiKey: env.MSB_API_KEY,
        isolation: env.MSB_ISOLATION,
      });
      return Response.json({ ...result, headerWebSocket: headerWebSocketProbe() });
    } catch (error) {
      return Response.json({ error: describe(error) }, { status: 500 });
    }
  },
};

/**
 * What `new WebSocket(url, { headers })` does here; in workerd it throws, which is why the
 * library must upgrade through fetch.
 */
function headerWebSocketProbe(): string {
  const Ctor = globalThis.WebSocket as unknown as
    | (new (url: string, init: { headers: Record<string, string> }) => WebSocket)
    | undefined;
  if (!Ctor) return "absent";
  try {
    new Ctor("ws://127.0.0.1:9/", { headers: { authorization: "Bearer probe" } }).close();
    return "accepted";
  } catch (error) {
    return `throws: ${error instanceof Error ? error.message : error}`;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause === undefined ? "" : `\ncause: ${describe(error.cause)}`;
  return `${error.stack ?? error.message}${cause}`;
}
