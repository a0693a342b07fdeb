// The runtime-neutral smoke suite: drives a local cloud through the public API of mod.ts alone,
// the way an application on Bun, Node 24 or Cloudflare Workers would. It uses no runtime API
// beyond fetch, WebSocket and Web Streams, so the same module runs everywhere the library claims.

import { type LogEntry, Microsandbox, type Sandbox, SandboxNotFoundError } from "../../mod.ts";
import { check, expectEqual } from "./_checks.ts";
import { fileRoundTrip, readAll, volumeRoundTrip } from "./_smoke_files.ts";
import { fetchPage } from "./_smoke_ports.ts";

/** Where the local cloud listens and the key it accepts. */
export interface SmokeTarget {
  /** The cloud's base URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** Its API key. */
  apiKey: string;
  /** Its isolation (`LocalCloud.isolation`): mounts show in commands under `bubblewrap` only. */
  isolation: string;
}

/** What a smoke run proved. */
export interface SmokeResult {
  /** The runtime it ran on: `bun`, `node`, `workerd`, `deno` or `unknown`. */
  runtime: string;
  /** The runtime's version, as it reports it. */
  version: string;
  /** How exec sockets were opened: `fetch-upgrade`, `WebSocketStream` or `WebSocket`. */
  connector: string;
  /** Exec socket upgrades that went through the client's `fetch`. */
  fetchUpgrades: number;
  /** The checks that passed, in order. */
  checks: string[];
}

/** The names of the checks {@linkcode runSmoke} runs, in order. */
export const PUBLIC_API_CHECKS: readonly string[] = [
  "create",
  "get, list and iterate",
  "exec",
  "spawn with stdin",
  "file round trip",
  "volume round trip",
  "fetch a page",
  "logs resume",
  "stop and start",
  "remove",
];

const LOG_LINES = 20;
const FIRST_READ = 5;

/**
 * Runs every public-API check against the cloud; throws on the first failure.
 *
 * @param target The cloud to use.
 * @returns The runtime, the connector used, and the checks that passed.
 */
export async function runSmoke(target: SmokeTarget): Promise<SmokeResult> {
  const { runtime, version } = runtimeInfo();
  const { isolation } = target;
  let fetchUpgrades = 0;
  const msb = new Microsandbox({
    apiKey: target.apiKey,
    url: target.url,
    wire: "current",
    fetch: (input, init) => {
      if (new Headers(init?.headers).get("upgrade") === "websocket") fetchUpgrades++;
      return globalThis.fetch(input, init);
    },
  });
  const name = `smoke-${runtime}-${crypto.randomUUID().slice(0, 8)}`;
  const checks: string[] = [];
  const sandbox = await check(checks, "create", () => create(msb, name));
  try {
    await check(checks, "get, list and iterate", () => find(msb, sandbox));
    await check(checks, "exec", () => execExitCode(sandbox));
    await check(checks, "spawn with stdin", () => spawnCat(sandbox));
    await check(checks, "file round trip", () => fileRoundTrip(sandbox));
    await check(checks, "volume round trip", () => volumeRoundTrip(msb, `${name}-vol`, isolation));
    await check(checks, "fetch a page", () => fetchPage(sandbox));
    await check(checks, "logs resume", () => logsResume(sandbox));
    await check(checks, "stop and start", () => stopStart(sandbox));
  } catch (error) {
    await sandbox.remove().catch(() => {});
    throw error;
  }
  await check(checks, "remove", () => remove(msb, sandbox));
  const connector = fetchUpgrades > 0 ? "fetch-upgrade" : detectedConnector();
  return { runtime, version, connector, fetchUpgrades, checks };
}

async function create(msb: Microsandbox, name: string): Promise<Sandbox> {
  const sandbox = await msb.sandboxes.create({ name, image: "alpine" });
  expectEqual(sandbox.name, name, "created sandbox name");
  expectEqual(sandbox.status, "running", "status after create");
  return sandbox;
}

async function find(msb: Microsandbox, sandbox: Sandbox): Promise<void> {
  const got = await msb.sandboxes.get(sandbox.name);
  expectEqual(got.id, sandbox.id, "id from get");
  const page = await msb.sandboxes.list({ limit: 100 });
  expectEqual(page.sandboxes.some((s) => s.id === sandbox.id), true, "sandbox in list()");
  const seen: string[] = [];
  for await (const each of msb.sandboxes.iterate({ limit: 1 })) seen.push(each.name);
  expectEqual(seen.includes(sandbox.name), true, `sandbox in iterate() (saw ${seen})`);
}

async function execExitCode(sandbox: Sandbox): Promise<void> {
  const output = await sandbox.exec("sh", ["-c", "echo hi; echo oops >&2; exit 3"]);
  expectEqual(output.code, 3, "exit code");
  expectEqual(output.success, false, "success");
  expectEqual(output.stdoutText(), "hi\n", "stdout");
  expectEqual(output.stderrText(), "oops\n", "stderr");
}

async function spawnCat(sandbox: Sandbox): Promise<void> {
  const process = await sandbox.spawn("cat");
  const input = new Uint8Array(70_000).map((_, i) => i % 251);
  const writer = process.stdin.getWriter();
  const echoed = readAll(process.stdout);
  await writer.write(input.subarray(0, 1));
  await writer.write(input.subarray(1));
  await writer.close();
  const [bytes] = await Promise.all([echoed, process.stderr.cancel()]);
  expectEqual(bytes.length, input.length, "bytes echoed by cat");
  expectEqual(bytes.every((b, i) => b === input[i]), true, "echoed bytes equal the input");
  const status = await process.exited;
  expectEqual(status.code, 0, "cat exit code");
}

/**
 * Prints numbered lines from two commands, reads a few, cancels, resumes from the last entry's
 * cursor and reads the rest. Each command's output may come as one entry, and no entry spans two
 * commands, so the first read ends inside the first command's lines and the resume has the second
 * command's lines (at least) left to deliver.
 */
async function logsResume(sandbox: Sandbox): Promise<void> {
  const tag = crypto.randomUUID().slice(0, 8);
  const half = LOG_LINES / 2;
  for (const from of [1, half + 1]) {
    const script = `i=${from}; while [ $i -lt ${
      from + half
    } ]; do echo "${tag} $i"; i=$((i+1)); done`;
    expectEqual((await sandbox.exec("sh", ["-c", script])).code, 0, "log writer exit code");
  }
  const first = await readTagged(sandbox.logs({ sources: ["stdout"] }), tag, FIRST_READ);
  const cursor = first.last?.cursor;
  if (!cursor) throw new Error("the first log read returned no entry");
  const rest = await readTagged(sandbox.logs({ sources: ["stdout"], cursor }), tag, LOG_LINES);
  const numbers = [...first.numbers, ...rest.numbers];
  const expected = Array.from({ length: LOG_LINES }, (_, i) => i + 1);
  expectEqual(numbers.join(","), expected.join(","), "log line numbers across the resume");
}

/** Reads entries until `count` tagged lines or line number `count` arrived, then cancels. */
async function readTagged(
  stream: ReadableStream<LogEntry>,
  tag: string,
  count: number,
): Promise<{ numbers: number[]; last: LogEntry | undefined }> {
  const reader = stream.getReader();
  const numbers: number[] = [];
  let last: LogEntry | undefined;
  try {
    while (numbers.length < count && numbers.at(-1) !== count) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the log stream ended after lines [${numbers}]`);
      last = value;
      for (const line of value.text().split("\n")) {
        if (line.startsWith(`${tag} `)) numbers.push(Number(line.slice(tag.length + 1)));
      }
    }
  } finally {
    await reader.cancel();
  }
  return { numbers, last };
}

async function stopStart(sandbox: Sandbox): Promise<void> {
  await sandbox.stop();
  const deadline = Date.now() + 10_000;
  while (sandbox.status !== "stopped") {
    if (Date.now() > deadline) throw new Error(`still ${sandbox.status} 10 s after stop`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await sandbox.refresh();
  }
  await sandbox.start();
  expectEqual(sandbox.status, "running", "status after start");
  expectEqual((await sandbox.exec("echo", ["again"])).stdoutText(), "again\n", "exec after start");
}

async function remove(msb: Microsandbox, sandbox: Sandbox): Promise<void> {
  await sandbox.remove();
  const error = await msb.sandboxes.get(sandbox.name).then(() => undefined, (e: unknown) => e);
  expectEqual(error instanceof SandboxNotFoundError, true, `get after remove rejects (${error})`);
}

function runtimeInfo(): { runtime: string; version: string } {
  const host = globalThis as {
    Bun?: { version: string };
    Deno?: { version: { deno: string } };
    process?: { versions?: { node?: string } };
  };
  if (host.Bun) return { runtime: "bun", version: host.Bun.version };
  if (host.Deno) return { runtime: "deno", version: host.Deno.version.deno };
  const agent = globalThis.navigator?.userAgent ?? "";
  if (agent === "Cloudflare-Workers") return { runtime: "workerd", version: agent };
  const node = host.process?.versions?.node;
  if (node) return { runtime: "node", version: node };
  return { runtime: "unknown", version: agent };
}

/** The connector the library's feature detection picks when no upgrade went through fetch. */
function detectedConnector(): string {
  const host = globalThis as { WebSocketStream?: unknown; document?: unknown };
  return host.WebSocketStream && !host.document ? "WebSocketStream" : "WebSocket";
}
