// Shared setup of the integration tests: a local cloud on loopback and a client pointed at it.
import { Microsandbox, type MicrosandboxOptions, type WireGeneration } from "../mod.ts";
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from "../src/testing/mod.ts";

/** Both wire generations, for tests that run once per generation. */
export const GENERATIONS: readonly WireGeneration[] = ["current", "v0.5"];

/** Fast retries, so that retry tests take milliseconds. */
export const FAST_RETRY = { attempts: 4, baseDelay: 2, maxDelay: 20, maxElapsed: 5000 };

/** A running local cloud and a client for it; dispose to close the cloud. */
export interface Setup extends AsyncDisposable {
  cloud: LocalCloud;
  msb: Microsandbox;
}

/** Starts a local cloud of `generation` and a client speaking the same wire. */
export async function setup(
  generation: WireGeneration,
  client: Partial<MicrosandboxOptions> = {},
  cloudOptions: LocalCloudOptions = {},
): Promise<Setup> {
  const cloud = await startLocalCloud({
    generation,
    bootDelayMs: 5,
    stopDelayMs: 5,
    ...cloudOptions,
  });
  const msb = new Microsandbox({
    apiKey: cloud.apiKey,
    url: cloud.url,
    wire: generation,
    retry: FAST_RETRY,
    ...client,
  });
  return { cloud, msb, [Symbol.asyncDispose]: () => cloud.close() };
}

/** The requests the cloud received under `/v1`, as `METHOD url` lines. */
export function requestLines(cloud: LocalCloud): string[] {
  return cloud.requests.map((request) => `${request.method} ${request.url}`);
}
