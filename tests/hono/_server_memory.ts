// What the adapter's server retains while it streams a large answer: the adapter runs alone in a
// child `deno run` (_memory_server_main.ts) over the local cloud of this process, and a reader
// here takes the answer fast or slowly while the child samples its own retained memory.
import { createHash } from "node:crypto";
import type { LocalCloud } from "../../src/testing/mod.ts";
import { type RunningServer, startServer } from "../runtimes/_server.ts";

const MAIN = new URL("./_memory_server_main.ts", import.meta.url).pathname;
const REPO = new URL("../../", import.meta.url).pathname;

/** How a reader takes an answer. */
export type Pace = "fast" | "slow";

/** The slow reader pauses this long after each {@linkcode SLOW_STEP} bytes. */
const SLOW_PAUSE_MS = 5;
const SLOW_STEP = 64 * 1024;

/** What one read saw: the bytes, their SHA-256 (hex) and what the server retained meanwhile. */
export interface ServerRead {
  total: number;
  digest: string;
  /** The server's peak retained growth over the answer, in MiB. */
  growthMib: number;
  /** The server's resident memory at the end, in MiB (for the record, not a bound). */
  rssMib: number;
}

/** The adapter in a process of its own; dispose to kill it. */
export interface MemoryServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT/api/sandboxes`. */
  base: string;
  /** GETs `url` (under {@linkcode base}) at `pace` and tells what the server retained. */
  read(url: string, pace: Pace): Promise<ServerRead>;
}

/** Starts the adapter of _memory_server_main.ts over `cloud`. */
export async function startMemoryServer(cloud: LocalCloud): Promise<MemoryServer> {
  const server: RunningServer = await startServer({
    label: "adapter server",
    command: Deno.execPath(),
    args: ["run", "--unstable-net", "-A", "--v8-flags=--expose-gc", MAIN],
    env: { ...Deno.env.toObject(), MSB_API_URL: cloud.url, MSB_API_KEY: cloud.apiKey },
    cwd: REPO,
    listening: /listening (http:\/\/127\.0\.0\.1:\d+)/,
  });
  return {
    base: `${server.origin}/api/sandboxes`,
    async read(url, pace) {
      const response = await fetch(url, { headers: { authorization: "Bearer any" } });
      if (response.status !== 200) {
        throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
      }
      const { total, digest } = await readBody(response.body!, pace);
      const figures = await (await fetch(`${server.origin}/retained`)).json();
      return { total, digest, ...figures };
    },
    [Symbol.asyncDispose]: () => server[Symbol.asyncDispose](),
  };
}

/** Reads `body` to its end at `pace`, hashing it. */
async function readBody(
  body: ReadableStream<Uint8Array>,
  pace: Pace,
): Promise<{ total: number; digest: string }> {
  const hash = createHash("sha256");
  let total = 0;
  let step = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    total += chunk.byteLength;
    step += chunk.byteLength;
    if (pace === "fast" || step < SLOW_STEP) continue;
    step = 0;
    await new Promise((resolve) => setTimeout(resolve, SLOW_PAUSE_MS));
  }
  return { total, digest: hash.digest("hex") };
}
