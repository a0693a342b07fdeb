// How a child runtime hands its smoke results to the Deno test that started it.

import type { SmokeResult } from "./_smoke.ts";

/** The prefix of the one stdout line that carries the JSON result. */
export const RESULT_PREFIX = "SMOKE_RESULT ";

/** What a child prints: the public-API result and the adapter checks that passed. */
export interface RuntimeResult extends SmokeResult {
  /** The Hono adapter checks that passed, in order. */
  adapterChecks: string[];
  /** Inside workerd: what `new WebSocket(url, { headers })` did. */
  headerWebSocket?: string;
}
