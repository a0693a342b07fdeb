// The command-line entry of the isolation and flood scenarios for Bun, Node 24 and Deno without
// --unstable-net (a plain WebSocket, no read backpressure): reads the clouds from
// MSB_API_URL_CURRENT, MSB_API_URL_V05 and MSB_API_KEY, runs the isolation scenario on both wires
// and the flood on the current one, and prints one `SMOKE_RESULT <json>` line; exits 1 on failure.

import process from "node:process";
import { Microsandbox, type WireGeneration } from "../../mod.ts";
import { type IsolationResult, runFlood, runIsolation } from "./_isolation.ts";
import { RESULT_PREFIX } from "./_result.ts";

/** What a child prints. */
export interface IsolationRun {
  /** Whether the runtime has WebSocketStream (read backpressure). */
  webSocketStream: boolean;
  isolation: Record<WireGeneration, IsolationResult>;
  flood: { read: number; code: number } | string;
}

const apiKey = process.env.MSB_API_KEY ?? "";
const urls: Record<WireGeneration, string | undefined> = {
  current: process.env.MSB_API_URL_CURRENT,
  "v0.5": process.env.MSB_API_URL_V05,
};

async function running(wire: WireGeneration, name: string) {
  const url = urls[wire];
  if (!url || !apiKey) throw new Error("MSB_API_URL_CURRENT, MSB_API_URL_V05 and MSB_API_KEY");
  const msb = new Microsandbox({ apiKey, url, wire });
  const sandbox = await msb.sandboxes.create({ name, image: "alpine" });
  while (sandbox.status !== "running") await sandbox.refresh();
  return sandbox;
}

try {
  const run: IsolationRun = {
    webSocketStream: "WebSocketStream" in globalThis,
    isolation: {
      current: await runIsolation(await running("current", "iso")),
      "v0.5": await runIsolation(await running("v0.5", "iso")),
    },
    flood: await runFlood(await running("current", "flood")),
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(run)}\n`);
  process.exit(0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
}
