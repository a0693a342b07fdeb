// The command-line entry of the smoke suite for Bun and Node: reads the cloud from MSB_API_URL,
// MSB_API_KEY and MSB_ISOLATION, runs the public-API suite and the Hono adapter's (through `app.request`), and
// prints one `SMOKE_RESULT <json>` line; exits 1 on failure.

import process from "node:process";
import { Microsandbox } from "../../mod.ts";
import { adapterApp } from "./_adapter_app.ts";
import { APP_TOKEN, ROUTES_BASE, SCOPE_PREFIX } from "./_adapter_names.ts";
import { RESULT_PREFIX, type RuntimeResult } from "./_result.ts";
import { runSmoke } from "./_smoke.ts";
import { runAdapterSmoke, runConcurrentExecs } from "./_smoke_adapter.ts";

const url = process.env.MSB_API_URL;
const apiKey = process.env.MSB_API_KEY;
const isolation = process.env.MSB_ISOLATION;
try {
  if (!url || !apiKey || !isolation) {
    throw new Error("MSB_API_URL, MSB_API_KEY and MSB_ISOLATION must be set");
  }
  const smoke = await runSmoke({ url, apiKey, isolation });
  const app = adapterApp(new Microsandbox({ apiKey, url }));
  const target = (what: string) => ({
    call: async (path: string, init?: RequestInit) =>
      await app.request(`${ROUTES_BASE}${path}`, init),
    token: APP_TOKEN,
    name: `${SCOPE_PREFIX}${what}-${smoke.runtime}-${crypto.randomUUID().slice(0, 8)}`,
  });
  const adapterChecks = [
    ...await runAdapterSmoke(target("adapter")),
    ...await runConcurrentExecs(target("concurrent")),
  ];
  const result: RuntimeResult = { ...smoke, adapterChecks };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`${describe(error)}\n`);
  process.exit(1); // open sockets of the failed check must not keep the process alive
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause === undefined ? "" : `\ncause: ${describe(error.cause)}`;
  return `${error.stack ?? error.message}${cause}`;
}
