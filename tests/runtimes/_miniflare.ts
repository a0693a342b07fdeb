// Runs under Node 24, for the miniflare drivers: loads a bundled Worker into miniflare (workerd)
// with the local cloud's MSB_API_URL and MSB_API_KEY (read from the environment) as its bindings,
// lets the driver send it requests, and prints what the driver found on one `SMOKE_RESULT <json>`
// line; on failure prints the error and exits 1.

import { readFile } from "node:fs/promises";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { RESULT_PREFIX } from "./_result.ts";

/** The newest date miniflare 4.20260730.0's workerd knows. */
const COMPATIBILITY_DATE = "2026-07-30";

/** The Worker to load, and where from. */
export interface WorkerLoad {
  /** The bundled Worker (one ES module). */
  bundle: string;
  /** The file to import miniflare from. */
  miniflare: string;
  /** Bindings besides MSB_API_URL and MSB_API_KEY. */
  bindings?: Record<string, string>;
}

/** The part of miniflare the drivers use: requests into the Worker's fetch handler. */
export interface LoadedWorker {
  dispatchFetch(url: string, init?: RequestInit): Promise<Response>;
}

/**
 * Loads the Worker, runs `drive` against it and prints what `drive` returns; miniflare is
 * disposed of in any case.
 *
 * @param load The bundle, miniflare's entry and any extra bindings.
 * @param drive Sends the Worker its requests; returns the result to print (JSON).
 * @throws {Error} When MSB_API_URL or MSB_API_KEY is unset.
 */
export async function driveWorker(
  load: WorkerLoad,
  drive: (worker: LoadedWorker) => Promise<unknown>,
): Promise<void> {
  const { MSB_API_URL: url, MSB_API_KEY: apiKey } = process.env;
  if (!url || !apiKey) throw new Error("MSB_API_URL and MSB_API_KEY must be set");
  const { Miniflare } = await import(pathToFileURL(load.miniflare).href);
  const mf = new Miniflare({
    modules: true,
    script: await readFile(load.bundle, "utf8"),
    compatibilityDate: COMPATIBILITY_DATE,
    cf: false,
    bindings: { MSB_API_URL: url, MSB_API_KEY: apiKey, ...load.bindings },
  });
  try {
    const result = await drive(mf);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exitCode = 1;
  } finally {
    await mf.dispose();
  }
}
