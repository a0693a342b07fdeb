// Runs under Node 24: loads a bundled Worker into miniflare (workerd) with MSB_API_URL and
// MSB_API_KEY as its bindings, sends it the requests given as JSON, and prints the answers on one
// `SMOKE_RESULT <json>` line; exits 1 on failure.
// argv: <worker bundle> <miniflare entry file> <requests JSON>.

import { readFile } from "node:fs/promises";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { RESULT_PREFIX } from "../runtimes/_result.ts";
import { ask, type SnippetRequest } from "./_requests.ts";

/** The newest date miniflare 4.20260730.0's workerd knows. */
const COMPATIBILITY_DATE = "2026-07-30";

const [bundle, miniflareEntry, requests] = process.argv.slice(2);
const { MSB_API_URL: url, MSB_API_KEY: apiKey } = process.env;
if (!bundle || !miniflareEntry || !requests || !url || !apiKey) {
  throw new Error("usage: _miniflare_fetch.ts <bundle> <miniflare entry> <requests>, MSB_API_*");
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
  const send = (path: string, init: RequestInit) =>
    mf.dispatchFetch(`http://worker.test${path}`, init);
  const answers = await ask(send, JSON.parse(requests) as SnippetRequest[]);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(answers)}\n`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await mf.dispose();
}
