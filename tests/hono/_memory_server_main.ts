// The adapter alone in a process of its own, measuring what it retains while it answers: the
// sandbox routes under /api/sandboxes (any bearer token, every name, file and port) over the
// cloud at MSB_API_URL and MSB_API_KEY. Each answer's body is passed on through a counter that
// samples what this process retains (V8 heap and ArrayBuffers after a full GC, _retained.ts): a
// baseline as the request comes in, then every 4 MiB sent and at the end. `GET /retained` tells
// the peak growth of the last answer, as `{ growthMib, rssMib }`, once its body has been sent.
// Run with --unstable-net (as a deployment would: the agent socket then has read backpressure)
// and --v8-flags=--expose-gc. Prints `listening http://127.0.0.1:<port>` once it listens.

import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import { Microsandbox } from "../../mod.ts";
import { sandboxRoutes } from "../../src/hono/mod.ts";
import { RetainedPeak } from "./_retained.ts";

const SAMPLE_EVERY = 4 * 1024 * 1024;

const client = new Microsandbox({
  apiKey: Deno.env.get("MSB_API_KEY")!,
  url: Deno.env.get("MSB_API_URL")!,
});
const app = new Hono().route(
  "/api/sandboxes",
  sandboxRoutes({
    authorize: () => ({ user: "any" }),
    client,
    upgradeWebSocket,
    files: () => true,
    ports: () => true,
  }),
);

/** The last answer's figures, once its body has been sent. */
let last: Promise<string> = Promise.resolve("{}");

/** Passes `body` on, sampling `peak` every {@linkcode SAMPLE_EVERY} bytes and at its end. */
function sampled(body: ReadableStream<Uint8Array>, peak: RetainedPeak): ReadableStream<Uint8Array> {
  const done = Promise.withResolvers<void>();
  last = done.promise.then(() =>
    JSON.stringify({
      growthMib: Number(peak.growthMib()),
      rssMib: Number((Deno.memoryUsage().rss / 1024 / 1024).toFixed(1)),
    })
  );
  let counted = 0;
  const finish = () => {
    peak.sample();
    done.resolve();
  };
  return body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        controller.enqueue(chunk);
        counted += chunk.byteLength;
        if (counted < SAMPLE_EVERY) return;
        counted = 0;
        peak.sample();
      },
      flush: finish,
      cancel: finish,
    }),
  );
}

Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.log(`listening http://127.0.0.1:${port}`),
}, async (request) => {
  if (new URL(request.url).pathname === "/retained") {
    return new Response(await last, { headers: { "content-type": "application/json" } });
  }
  const peak = new RetainedPeak();
  const response = await app.fetch(request);
  if (!response.body) return response;
  return new Response(sampled(response.body, peak), response);
});
