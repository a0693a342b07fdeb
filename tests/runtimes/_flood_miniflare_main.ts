// Runs under Node 24: loads the bundled flood Worker into miniflare (workerd), asks it for the
// flood and prints its answer on one `SMOKE_RESULT <json>` line; exits 1 on failure.
// argv: <worker bundle> <miniflare entry file>; env: MSB_API_URL, MSB_API_KEY.

import process from "node:process";
import { driveWorker } from "./_miniflare.ts";

const [bundle, miniflare] = process.argv.slice(2);
if (!bundle || !miniflare) {
  throw new Error("usage: _flood_miniflare_main.ts <bundle> <miniflare entry>");
}
await driveWorker({ bundle, miniflare }, async (worker) => {
  const response = await worker.dispatchFetch("http://worker.test/flood");
  return await response.json();
});
