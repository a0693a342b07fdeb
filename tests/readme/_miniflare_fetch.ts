// Runs under Node 24: loads a bundled Worker into miniflare (workerd) with MSB_API_URL and
// MSB_API_KEY as its bindings, sends it the requests given as JSON, and prints the answers on one
// `SMOKE_RESULT <json>` line; exits 1 on failure.
// argv: <worker bundle> <miniflare entry file> <requests JSON>; env: MSB_API_URL, MSB_API_KEY.

import process from "node:process";
import { driveWorker } from "../runtimes/_miniflare.ts";
import { ask, type SnippetRequest } from "./_requests.ts";

const [bundle, miniflare, requests] = process.argv.slice(2);
if (!bundle || !miniflare || !requests) {
  throw new Error("usage: _miniflare_fetch.ts <bundle> <miniflare entry> <requests>");
}
await driveWorker({ bundle, miniflare }, async (worker) => {
  const send = (path: string, init: RequestInit) =>
    worker.dispatchFetch(`http://worker.test${path}`, init);
  return await ask(send, JSON.parse(requests) as SnippetRequest[]);
});
