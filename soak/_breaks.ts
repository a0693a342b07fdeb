// Deliberate defects for `--break=<kind>`, each of which one detector must catch, to show that
// the soak can fail: the server then repeats a log entry, leaks the API key, hangs a stream,
// answers an untyped error, or keeps memory as time goes on.

import type { Context, Next } from "hono";

/** The defects `--break` can plant, and the detector each must trip. */
export const BREAKS = {
  "dup-log": "lost_or_repeated_log",
  "leak-key": "key_leak",
  hang: "hang",
  untyped: "untyped_error",
  grow: "memory_growth",
} as const;

/** A defect's name. */
export type BreakKind = keyof typeof BREAKS;

const retained: Uint8Array[] = [];
/** `grow`: bytes kept for good every second (touched, so they count in the resident set). */
const GROWTH_PER_SECOND = 20 * 1024 * 1024;

/** A middleware in front of the sandbox routes that plants the defect `kind`. */
export function breakMiddleware(kind: BreakKind, apiKey: string) {
  let execs = 0;
  if (kind === "grow") {
    setInterval(() => retained.push(new Uint8Array(GROWTH_PER_SECOND).fill(1)), 1_000);
  }
  return async (c: Context, next: Next): Promise<Response | void> => {
    const path = new URL(c.req.url).pathname;
    const streaming = (c.req.header("accept") ?? "").match(/event-stream|ndjson/);
    if (kind === "hang" && path.endsWith("/exec") && streaming) {
      return new Response(new ReadableStream({}), {
        headers: { "content-type": "text/event-stream" },
      });
    }
    if (kind === "untyped" && path.endsWith("/exec") && !streaming && execs++ % 3 === 0) {
      return new Response("boom", { status: 500 });
    }
    await next();
    if (kind === "leak-key" && path.endsWith("/exec") && !streaming && c.res.status === 200) {
      const body = await c.res.json();
      c.res = Response.json({ ...body, via: encodeURIComponent(apiKey) });
    }
    if (kind === "dup-log" && path.endsWith("/logs") && c.res.status === 200) {
      c.res = new Response(c.res.body!.pipeThrough(repeatFirstChunk()), c.res);
    }
  };
}

/** Sends the first non-heartbeat chunk twice (an SSE event or an NDJSON line each). */
function repeatFirstChunk(): TransformStream<Uint8Array, Uint8Array> {
  let repeated = false;
  return new TransformStream({
    transform(chunk, controller) {
      controller.enqueue(chunk);
      if (!repeated && chunk.byteLength > 2 && chunk[0] !== 0x3a) {
        repeated = true;
        controller.enqueue(chunk);
      }
    },
  });
}
