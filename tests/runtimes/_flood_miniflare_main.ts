// Runs under Node 24: loads the bundled flood Worker into miniflare (workerd), asks it for the
// flood and prints one `SMOKE_RESULT <json>` line; exits 1 on failure.
// argv: <worker bundle> <miniflare entry file>; env: MSB_API_URL, MSB_API_KEY.

import { readFile } from "node:fs/promises";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { RESULT_PREFIX } from "./_result.ts";

/** The newest date miniflare 4.20260730.0's workerd knows. */
const COMPATIBILITY_DATE = "2026-07-30";

const [bundle, miniflareEntry] = process.argv.slice(2);
const { MSB_API_URL: url, MSB_API_KEY: apiKey } = process.env;
if (!bundle || !miniflareEntry || !url || !apiKey) {
  throw new Error("usage: _flood_miniflare_main.ts <bundle> <miniflare entry>, MSB_API_URL/KEY");
}
const { Miniflare } = await import(pathToFileURL(miniflareEntry).href);
const mf = new Miniflare({
  modules: true,
  script: await readFile(bundle, "utf8"),
  compatibilityDate: COMPATIBILITY_DATE,
  cf: false,
  bindings: { MSB_API_URL: url, MSB_API_KEY: apiKey },
});
try {
  const response = await mf.dispatchFetch("http://worker.test/flood");
  process.stdout.write(`${RESULT_PREFIX}${await response.text()}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
} finally {
  await mf.dispose();
}
