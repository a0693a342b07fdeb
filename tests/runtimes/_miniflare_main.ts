// Runs under Node 24: loads the bundled Worker into miniflare (workerd) and prints one
// `SMOKE_RESULT <json>` line; exits 1 on failure.
// - mode `smoke`: the Worker runs the public-API suite (GET /smoke), then this process drives the
//   Hono adapter the Worker serves on /api/* (a client per request) with the adapter checks, the
//   exec WebSocket bridge and the preview route's WebSocket bridge.
// - mode `default-client`: the concurrent-exec check against the adapter with the middleware's
//   default client (built per request on Workers).
// - mode `example`: examples/worker/worker.ts, driven with the adapter checks and the WebSocket
//   bridge, with the example's token (APP_TOKEN) and tenant (`demo-` names).
// argv: <mode> <worker bundle> <miniflare entry file>; env: MSB_API_URL, MSB_API_KEY, APP_TOKEN,
// MSB_ISOLATION.

import process from "node:process";
import { APP_TOKEN, ROUTES_BASE, SCOPE_PREFIX } from "./_adapter_names.ts";
import { driveWorker, type LoadedWorker } from "./_miniflare.ts";
import { type AppCall, runAdapterSmoke, runConcurrentExecs } from "./_smoke_adapter.ts";
import { runPreviewWebSocket } from "./_smoke_preview_ws.ts";
import { runWebSocketBridge } from "./_smoke_ws.ts";

/** The adapter checks' view of the Worker's app on `origin`. */
function target(
  worker: LoadedWorker,
  origin: string,
  what: string,
  token = APP_TOKEN,
  prefix = SCOPE_PREFIX,
) {
  const call: AppCall = (path, init) =>
    worker.dispatchFetch(`${origin}${ROUTES_BASE}${path}`, init);
  const name = `${prefix}${what}-workerd-${crypto.randomUUID().slice(0, 8)}`;
  return { call, token, name };
}

async function smoke(worker: LoadedWorker) {
  const response = await worker.dispatchFetch("http://worker.test/smoke");
  const result = await response.json();
  if (response.status !== 200) throw new Error(`the Worker's smoke run failed:\n${result.error}`);
  const adapterChecks = [
    ...await runAdapterSmoke(target(worker, "http://worker.test", "adapter")),
    ...await runConcurrentExecs(target(worker, "http://worker.test", "concurrent")),
    ...await runWebSocketBridge(target(worker, "http://worker.test", "ws")),
    ...await runPreviewWebSocket(target(worker, "http://worker.test", "preview")),
  ];
  return { ...result, adapterChecks };
}

async function defaultClient(worker: LoadedWorker) {
  return {
    adapterChecks: await runConcurrentExecs(target(worker, "http://default.worker.test", "shared")),
  };
}

async function example(worker: LoadedWorker) {
  const each = (what: string) =>
    target(worker, "http://example.test", what, process.env.APP_TOKEN, "demo-");
  return {
    adapterChecks: [
      ...await runAdapterSmoke(each("adapter")),
      ...await runWebSocketBridge(each("ws")),
    ],
  };
}

const MODES: Record<string, (worker: LoadedWorker) => Promise<unknown>> = {
  smoke,
  "default-client": defaultClient,
  example,
};

const [mode, bundle, miniflare] = process.argv.slice(2);
if (!bundle || !miniflare) {
  throw new Error("usage: _miniflare_main.ts <mode> <bundle> <miniflare entry>");
}
const run = MODES[mode ?? ""];
if (!run) throw new Error(`unknown mode ${mode}`);
const bindings = {
  APP_TOKEN: process.env.APP_TOKEN ?? "",
  MSB_ISOLATION: process.env.MSB_ISOLATION ?? "",
};
await driveWorker({ bundle, miniflare, bindings }, run);
