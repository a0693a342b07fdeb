// 100 concurrent short execs on one sandbox of the local cloud (current wire, no namespaces), two
// ways in the same run: `exec()`, whose sessions share one agent socket, and the same commands each
// on an agent socket of its own (its own upgrade and relay handshake: `spawn()`, as the official
// SDK opens one socket per call). A second group runs commands that cannot start, so that what
// the sockets cost is not hidden behind starting processes. Deno prints the ratios.
// Run with `deno task bench bench/concurrent_exec_bench.ts`.
import { ExecFailedError, Microsandbox, type Sandbox } from "../mod.ts";
import { startLocalCloud } from "../src/testing/mod.ts";

const CONCURRENT = 100;

const cloud = await startLocalCloud({ generation: "current", isolation: "none" });
const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
const sandbox = await msb.sandboxes.create({ name: "bench", image: "alpine" });
while (sandbox.status !== "running") await sandbox.refresh();
globalThis.addEventListener("unload", () => cloud.close());

/** Runs `echo i` on a socket of its own, reads what it printed and returns its exit code. */
async function ownSocket(target: Sandbox, i: number): Promise<number> {
  const process = await target.spawn("echo", [String(i)]);
  await process.stdin.close();
  await process.stderr.cancel();
  await new Response(process.stdout).arrayBuffer();
  return (await process.exited).code;
}

/** Checks exit codes only: the local cloud may still lose a short process's stdout under load. */
function check(codes: number[]): void {
  const failed = codes.findIndex((code) => code !== 0);
  if (failed >= 0) throw new Error(`exec ${failed} exited with ${codes[failed]}`);
}

Deno.bench({
  name: "100 concurrent execs, a socket each (baseline)",
  group: "100 concurrent execs",
  baseline: true,
  n: 20,
  warmup: 2,
  async fn() {
    check(await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => ownSocket(sandbox, i))));
  },
});

Deno.bench({
  name: "100 concurrent execs, one shared agent socket",
  group: "100 concurrent execs",
  n: 20,
  warmup: 2,
  async fn() {
    const outputs = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) => sandbox.exec("echo", [String(i)])),
    );
    check(outputs.map((output) => output.code));
  },
});

// The same without starting processes (a command that does not exist fails at once in the cloud):
// what the sockets themselves cost.
async function refused(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ExecFailedError && error.failureKind === "not_found") return;
    throw error;
  }
  throw new Error("the missing command started");
}

Deno.bench({
  name: "100 concurrent refused execs, a socket each (baseline)",
  group: "100 concurrent refused execs",
  baseline: true,
  n: 50,
  warmup: 5,
  async fn() {
    await Promise.all(
      Array.from({ length: CONCURRENT }, () => refused(() => sandbox.spawn("no-such-command"))),
    );
  },
});

Deno.bench({
  name: "100 concurrent refused execs, one shared agent socket",
  group: "100 concurrent refused execs",
  n: 50,
  warmup: 5,
  async fn() {
    await Promise.all(
      Array.from({ length: CONCURRENT }, () => refused(() => sandbox.exec("no-such-command"))),
    );
  },
});
