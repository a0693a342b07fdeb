// Runs under Node 24: loads the bundled Worker into miniflare (workerd) and prints one
// `SMOKE_RESULT <json>` line; exits 1 on failure.
// - mode `smoke`: the Worker runs the public-API suite (GET /smoke), then this process drives the
//   Hono adapter the Worker serves on /api/* (a client per request) with the adapter checks.
// - mode `default-client`: the concurrent-exec check against the adapter with the middleware's
//   default client (built per request on Workers).
// - mode `example`: examples/worker/worker.ts, driven with the adapter checks and the WebSocket
//   bridge, with the example's token (APP_TOKEN) and tenant (`demo-` names).
// argv: <mode> <worker bundle> <miniflare entry file>; env: MSB_API_URL, MSB_API_KEY, APP_TOKEN.

import { readFile } from "node:fs/promises";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { APP_TOKEN, ROUTES_BASE, SCOPE_PREFIX } from "./_adapter_names.ts";
import { RESULT_PREFIX } from "./_result.ts";
import { type AppCall, runAdapterSmoke, runConcurrentExecs } from "./_smoke_adapter.ts";
import { runWebSocketBridge } from "./_smoke_ws.ts";

/** The newest date miniflare 4.20260730.0's workerd knows. */
const COMPATIBILITY_DATE = "2026-07-30";

const [mode, bundle, miniflareEntry] = process.argv.slice(2);
const url = process.env.MSB_API_URL;
const apiKey = process.env.MSB_API_KEY;
if (!bundle || !miniflareEntry || !url || !apiKey) {
  throw new Error("usage: _miniflare_main.ts <mode> <bundle> <miniflare entry>, MSB_API_URL/KEY");
}
const { Miniflare } = await import(pathToFileURL(miniflareEntry).href);
const mf = new Miniflare({
  modules: true,
  script: await readFile(bundle, "utf8"),
  compatibilityDate: COMPATIBILITY_DATE,
  cf: false,
  bindings: { MSB_API_URL: url, MSB_API_KEY: apiKey, APP_TOKEN: process.env.APP_TOKEN ?? "" },
});

/** The adapter checks' view of the Worker's app on `origin`. */
function target(origin: string, what: string, token = APP_TOKEN, prefix = SCOPE_PREFIX) {
  const call: AppCall = (path, init) => mf.dispatchFetch(`${origin}${ROUTES_BASE}${path}`, init);
  const name = `${prefix}${what}-workerd-${crypto.randomUUID().slice(0, 8)}`;
  return { call, token, name };
}

async function smoke() {
  const response = await mf.dispatchFetch("http://worker.test/smoke");
  const result = await response.json();
  if (response.status !== 200) throw new Error(`the Worker's smoke run failed:\n${result.error}`);
  const adapterChecks = [
    ...await runAdapterSmoke(target("http://worker.test", "adapter")),
    ...await runConcurrentExecs(target("http://worker.test", "concurrent")),
    ...await runWebSocketBridge(target("http://worker.test", "ws")),
  ];
  return { ...result, adapterChecks };
}

async function defaultClient() {
  return {
    adapterChecks: await runConcurrentExecs(target("http://default.worker.test", "shared")),
  };
}

async function example() {
  const each = (what: string) =>
    target("http://example.test", what, process.env.APP_TOKEN, "demo-");
  return {
    adapterChecks: [
      ...await runAdapterSmoke(each("adapter")),
      ...await runWebSocketBridge(each("ws")),
    ],
  };
}

const MODES: Record<string, () => Promise<unknown>> = {
  smoke,
  "default-client": defaultClient,
  example,
};

try {
  const run = MODES[mode ?? ""];
  if (!run) throw new Error(`unknown mode ${mode}`);
  const result = await run();
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
} finally {
  await mf.dispose();
}
