/**
 * {@linkcode startLocalCloud}: an in-process emulator of microsandbox cloud on loopback, for
 * tests and local development.
 *
 * @module
 */

import type { WireGeneration } from "../config/client_options.ts";
import { buildApp, type RouteGroup } from "./app/_app.ts";
import { errorResponse } from "./app/_error_body.ts";
import { ExecHost } from "./exec/_exec_host.ts";
import { execRoutes } from "./exec/_exec_routes.ts";
import { logRoutes } from "./logs/_logs_route.ts";
import { liveLogStreams } from "./logs/_logs_stream.ts";
import { FaultPlan } from "./app/_faults.ts";
import { chooseIsolation, type HostInfo, rootEntries } from "./exec/_isolation.ts";
import type { IsolationMode } from "./isolation_mode.ts";
import { currentRestRoutes } from "./rest/_rest_current.ts";
import { v05RestRoutes } from "./rest/_rest_v05.ts";
import { workdirOf } from "./rest/_sandbox_workdir.ts";
import { SandboxStore } from "./rest/_store.ts";
import { SandboxDirs } from "./sandbox_dir/_sandbox_dirs.ts";
import type { LocalCloudFaults } from "./local_cloud_faults.ts";
import type { RecordedRequest } from "./recorded_request.ts";

export type { IsolationMode, RecordedRequest, WireGeneration };

/**
 * Options of {@linkcode startLocalCloud}.
 *
 * @example A seed-generation cloud with a fixed key and instant boots
 * ```ts
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type LocalCloudOptions, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * const options: LocalCloudOptions = {
 *   generation: "v0.5",
 *   apiKey: "msb_test_fixed",
 *   bootDelayMs: 0,
 *   stopDelayMs: 0,
 *   isolation: "none",
 * };
 * await using cloud = await startLocalCloud(options);
 * const msb = new Microsandbox({ apiKey: "msb_test_fixed", url: cloud.url, wire: "v0.5" });
 * const sandbox = await msb.sandboxes.create({ name: "seed", image: "alpine" });
 * assert.equal(sandbox.status, "running");
 * ```
 */
export interface LocalCloudOptions {
  /**
   * The wire generation to speak.
   *
   * @default {"current"}
   */
  generation?: WireGeneration;
  /**
   * The API key clients must send as `Authorization: Bearer <apiKey>`.
   *
   * @default {A random "msb_test_" followed by 32 hex digits}
   */
  apiKey?: string;
  /**
   * The loopback port to listen on; 0 picks a free one.
   *
   * @default {0}
   */
  port?: number;
  /**
   * Milliseconds from `starting` to `running`. A start (or create with `start=true`) is answered
   * at once with `starting`, or once the boot ends with `wait_for=running` (current generation)
   * and for every create with `start=true` on generation v0.5, as the seed cloud does.
   * With 0 the sandbox is `running` (or `failed`) already in the start response.
   *
   * @default {20}
   */
  bootDelayMs?: number;
  /**
   * Milliseconds from `stopping` to `stopped`. A stop is answered at once with `stopping`; a
   * start before the delay ends gets 409 `invalid_state_transition`. With 0 the sandbox is
   * `stopped` already in the stop response.
   *
   * @default {10}
   */
  stopDelayMs?: number;
  /**
   * The session ids the `agent` route grants each client in its relay handshake, as
   * `[min, max)`: integers with `0 <= min < max <= 4294967295` and at least one id above 0.
   *
   * @default {[1000, 2000]}
   */
  agentIdRange?: readonly [number, number];
  /**
   * How commands run: `"bubblewrap"` (each in its own namespaces with its sandbox's own root
   * view), `"namespaces"` (in its own namespaces on the host's file system), `"none"` (plain
   * host processes), or `"auto"` (the best the host allows). A mode the host does not allow is
   * rejected. See {@linkcode IsolationMode} and {@linkcode LocalCloud.isolation}.
   *
   * @default {"auto"}
   */
  isolation?: "auto" | IsolationMode;
}

/**
 * The log-stream options of {@linkcode startLocalCloud}, taken alongside
 * {@linkcode LocalCloudOptions}.
 *
 * @example See heartbeats on a quiet log stream
 * ```ts
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0, logHeartbeatMs: 20 });
 * const headers = { authorization: `Bearer ${cloud.apiKey}` };
 * const created = await fetch(`${cloud.url}/v1/sandboxes?start=true`, {
 *   method: "POST",
 *   headers,
 *   body: JSON.stringify({ name: "quiet", image: { type: "oci", reference: "alpine" } }),
 * });
 * const { id } = await created.json();
 * const logs = await fetch(`${cloud.url}/v1/sandboxes/${id}/logs?sources=stdout`, { headers });
 * const reader = logs.body!.pipeThrough(new TextDecoderStream()).getReader();
 * let text = "";
 * while (!text.includes(": ping")) text += (await reader.read()).value ?? "";
 * await reader.cancel();
 * assert.match(text, /^: ping$/m);
 * ```
 */
export interface LocalCloudLogOptions {
  /**
   * Milliseconds of silence after which an open log stream sends a `: ping` comment.
   *
   * @default {15000}
   */
  logHeartbeatMs?: number;
}

/**
 * One entry for {@linkcode LocalCloud.appendLog}.
 *
 * @example Fill a sandbox's log and read it with the client
 * ```ts
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type LocalCloudLogEntry, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const sandbox = await msb.sandboxes.create({ name: "build-42", image: "alpine" });
 * const entries: LocalCloudLogEntry[] = [
 *   { source: "stdout", text: "build ok\n", sessionId: 1 },
 *   { source: "stderr", text: "1 warning\n", sessionId: 1 },
 * ];
 * cloud.appendLog("build-42", entries);
 *
 * const texts: string[] = [];
 * for await (const entry of sandbox.logs({ sources: ["stdout", "stderr"] })) {
 *   texts.push(entry.text());
 *   if (texts.length === entries.length) break;
 * }
 * assert.deepEqual(texts, ["build ok\n", "1 warning\n"]);
 * ```
 */
export interface LocalCloudLogEntry {
  /** Where the entry claims to come from. */
  source: "stdout" | "stderr" | "output" | "system";
  /** The text, as the log stream's `text` field will carry it. */
  text: string;
  /** The exec session it belongs to, sent as `session_id`; none when absent. */
  sessionId?: number;
}

/**
 * One live process of the local cloud, as {@linkcode LocalCloud.processes} lists it.
 *
 * @example Check that a spawned command runs, then kill it
 * ```ts
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type LocalCloudProcess, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const sandbox = await msb.sandboxes.create({ name: "worker", image: "alpine" });
 * const sleeper = await sandbox.spawn("sleep", ["30"]);
 *
 * const live: readonly LocalCloudProcess[] = cloud.processes();
 * assert.ok(live.some((p) => p.sandbox === sandbox.id && p.cmd.includes("sleep")));
 * await sleeper.kill();
 * assert.deepEqual(await sleeper.exited, { code: -1, success: false });
 * ```
 */
export interface LocalCloudProcess {
  /** The id of the sandbox it runs in. */
  readonly sandbox: string;
  /** Its host pid (of the outermost wrapper: `bwrap`, `unshare` or the reaper). */
  readonly pid: number;
  /** The command as the exec request named it. */
  readonly cmd: string;
  /**
   * The user the exec request named, `null` when none (the local cloud runs every command as its
   * own user whatever this says).
   */
  readonly user: string | null;
}

/**
 * A running local cloud. `await using` closes it at the end of the scope.
 *
 * @example Point the client at it and run a command
 * ```ts
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type LocalCloud, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * function clientOf(cloud: LocalCloud): Microsandbox {
 *   return new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url, wire: cloud.generation });
 * }
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const sandbox = await clientOf(cloud).sandboxes.create({ name: "demo", image: "alpine" });
 * const output = await sandbox.exec("echo", ["hello"]);
 * assert.equal(output.stdoutText(), "hello\n");
 * assert.ok(cloud.requests.some((request) => request.method === "POST"));
 * ```
 */
export interface LocalCloud extends AsyncDisposable {
  /** The base URL, `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  /** The API key the cloud accepts. */
  readonly apiKey: string;
  /** The wire generation the cloud speaks. */
  readonly generation: WireGeneration;
  /** Fault injection for the requests to come. */
  readonly faults: LocalCloudFaults;
  /** Every request received, in order, including those answered by faults and 401s. */
  readonly requests: readonly RecordedRequest[];
  /**
   * How commands run. `"bubblewrap"`: each runs under `bwrap` in its own user, pid, mount and
   * network namespaces (it sees only its sandbox's processes and a loopback-only network) with
   * its sandbox's own root view: the host's `/usr`, `/etc`, `/bin`, `/lib*` read-only, its
   * sandbox's folder for everything else (`/`, `/tmp`, `/root`, the workdir, `/app`, ...).
   * `"namespaces"` (a fallback): the same namespaces under `unshare`, but on the host's file
   * system, with only the working directory mapped into the sandbox's folder. `"none"`: plain
   * host processes, likewise on the host's file system. When it is not `"bubblewrap"`,
   * {@linkcode LocalCloud.isolationShortfall} says why. The local cloud is a development tool,
   * not a security boundary.
   */
  readonly isolation: IsolationMode;
  /**
   * Why commands do not get their sandbox's own root view here (bubblewrap is missing or
   * cannot run, or a lesser mode was asked for), as a sentence; `null` under `"bubblewrap"`.
   */
  readonly isolationShortfall: string | null;
  /**
   * Lists the processes running now: one per exec whose command has not ended yet.
   *
   * @returns The live processes, oldest first.
   */
  processes(): readonly LocalCloudProcess[];
  /**
   * Counts the log streams this cloud is serving now: each `/logs` request whose body has not
   * ended, been cancelled by its client, or been cut by the cloud closing.
   *
   * @returns The count; 0 once every log client has gone.
   *
   * @example See a log reader's request end when it cancels
   * ```ts
   * import { Microsandbox } from "@microsandbox/edge";
   * import { startLocalCloud } from "@microsandbox/edge/testing";
   * import assert from "node:assert/strict";
   *
   * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
   * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
   * const sandbox = await msb.sandboxes.create({ name: "tail", image: "alpine" });
   * cloud.appendLog("tail", [{ source: "stdout", text: "hi\n" }]);
   * const reader = sandbox.logs().getReader();
   * await reader.read();
   * assert.equal(cloud.liveLogStreams(), 1);
   * await reader.cancel();
   * while (cloud.liveLogStreams() > 0) await new Promise((resolve) => setTimeout(resolve, 5));
   * ```
   */
  liveLogStreams(): number;
  /**
   * Counts the exec WebSockets (`exec.cbor` and `agent`) this cloud holds open now.
   *
   * @returns The count; 0 once every exec client has closed its socket.
   *
   * @example See the agent socket close after the last command
   * ```ts
   * import { Microsandbox } from "@microsandbox/edge";
   * import { startLocalCloud } from "@microsandbox/edge/testing";
   *
   * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
   * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
   * const sandbox = await msb.sandboxes.create({ name: "once", image: "alpine" });
   * await sandbox.exec("true");
   * while (cloud.liveSockets() > 0) await new Promise((resolve) => setTimeout(resolve, 5));
   * ```
   */
  liveSockets(): number;
  /**
   * A testing aid: records log entries for a sandbox as if its commands (or its lifecycle) had
   * written them, so a test can fill the log history (and feed open log streams) quickly without
   * running processes. Each entry gets the next position in the history and the current time.
   *
   * @param sandboxName The sandbox's name.
   * @param entries The entries, in order.
   * @throws {Error} When no sandbox has that name, or an entry's source is unknown.
   *
   * @example Fill the history of a sandbox
   * ```ts
   * import { startLocalCloud } from "@microsandbox/edge/testing";
   *
   * await using cloud = await startLocalCloud();
   * await fetch(`${cloud.url}/v1/sandboxes`, {
   *   method: "POST",
   *   headers: { authorization: `Bearer ${cloud.apiKey}` },
   *   body: JSON.stringify({ name: "noisy", image: { type: "oci", reference: "alpine" } }),
   * }).then((res) => res.body?.cancel());
   * cloud.appendLog("noisy", [{ source: "stdout", text: "hello\n", sessionId: 1 }]);
   * ```
   */
  appendLog(sandboxName: string, entries: readonly LocalCloudLogEntry[]): void;
  /**
   * Stops the cloud: clears its timers, ends pending waits and delays (their requests are
   * answered), stops accepting connections, gives in-flight requests up to a second to finish,
   * then cuts the rest and waits until the server has finished. Calling it again returns the
   * same promise.
   *
   * @returns A promise that resolves once the server has shut down.
   */
  close(): Promise<void>;
}

/** How long close() lets in-flight requests finish before cutting their connections. */
const CLOSE_GRACE_MS = 1000;

const REST_ROUTES: Record<WireGeneration, RouteGroup> = {
  current: (context) => currentRestRoutes(context.store),
  "v0.5": (context) => v05RestRoutes(context.store),
};

/**
 * Starts a local microsandbox cloud on `127.0.0.1`: the sandbox REST API of the chosen wire
 * generation, behind bearer-key authentication, with sandboxes kept in memory.
 *
 * @param options The wire generation, API key, port, status delays, agent id range, isolation
 * and log heartbeat.
 * @returns The running cloud; close it with `close()` or `await using`.
 * @throws {TypeError} For an unknown generation or an API key that cannot be sent in a header.
 * @throws {RangeError} For a port, delay or agent id range out of range.
 * @throws {Error} For an isolation mode the host does not allow (the message says why).
 *
 * @example Create a sandbox on the local cloud
 * ```ts
 * import assert from "node:assert/strict";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 *
 * await using cloud = await startLocalCloud();
 * const res = await fetch(`${cloud.url}/v1/sandboxes?start=true&wait_for=running`, {
 *   method: "POST",
 *   headers: { authorization: `Bearer ${cloud.apiKey}`, "content-type": "application/json" },
 *   body: JSON.stringify({ name: "demo", image: { type: "oci", reference: "alpine" } }),
 * });
 * const sandbox = await res.json();
 * assert.equal(sandbox.status, "running");
 * ```
 */
export async function startLocalCloud(
  options: LocalCloudOptions & LocalCloudLogOptions = {},
): Promise<LocalCloud> {
  const settings = checkOptions(options);
  const host = await chooseIsolation(settings.isolation);
  if ("refused" in host) throw new Error(`${host.refused}; use isolation "auto" or "none"`);
  return new RunningCloud(settings, host);
}

type Settings = Required<LocalCloudOptions & LocalCloudLogOptions>;

class RunningCloud implements LocalCloud {
  readonly url: string;
  readonly apiKey: string;
  readonly generation: WireGeneration;
  readonly faults: LocalCloudFaults;
  readonly requests: readonly RecordedRequest[];
  readonly isolation: IsolationMode;
  readonly isolationShortfall: string | null;
  readonly #exec: ExecHost;
  readonly #store: SandboxStore;
  readonly #stop: () => Promise<void>;
  #closing: Promise<void> | undefined;

  constructor(settings: Settings, host: HostInfo) {
    const closing = new AbortController();
    const forceClose = new AbortController();
    const faults = new FaultPlan(closing.signal);
    const store = new SandboxStore({
      bootDelayMs: settings.bootDelayMs,
      stopDelayMs: settings.stopDelayMs,
      takeBootPlan: () => faults.takeBootPlan(),
    });
    const requests: RecordedRequest[] = [];
    const { apiKey, generation, agentIdRange, bootDelayMs, logHeartbeatMs } = settings;
    const dirs = new SandboxDirs(rootEntries(host), (id) => workdirOf(store.byId(id).spec));
    const exec = new ExecHost(host, dirs);
    store.watch((record, change) => {
      if (change === "stopping") exec.killSandbox(record.id);
      if (change === "deleted") exec.removeSandbox(record.id);
    });
    const app = buildApp(
      {
        apiKey,
        generation,
        store,
        faults,
        requests,
        exec,
        agentIdRange,
        bootDelayMs,
        logHeartbeatMs,
        closing: closing.signal,
      },
      [REST_ROUTES[generation], execRoutes, logRoutes],
    );
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: settings.port,
      signal: forceClose.signal,
      onListen: () => {},
      onError: () => errorResponse(500, "internal_error", "The local cloud failed to respond"),
    }, app.fetch);
    this.url = `http://127.0.0.1:${server.addr.port}`;
    this.apiKey = apiKey;
    this.generation = generation;
    this.faults = faults;
    this.requests = requests;
    this.isolation = host.isolation;
    this.isolationShortfall = host.shortfall;
    this.#exec = exec;
    this.#store = store;
    this.#stop = async () => {
      store.close();
      closing.abort();
      await exec.close();
      const force = setTimeout(() => forceClose.abort(), CLOSE_GRACE_MS);
      try {
        await server.shutdown();
      } finally {
        clearTimeout(force);
      }
      await server.finished;
    };
  }

  processes(): readonly LocalCloudProcess[] {
    return this.#exec.processes();
  }

  liveLogStreams(): number {
    return liveLogStreams(this.#store);
  }

  liveSockets(): number {
    return this.#exec.openSockets();
  }

  appendLog(sandboxName: string, entries: readonly LocalCloudLogEntry[]): void {
    const record = this.#store.byName(sandboxName);
    const encoder = new TextEncoder();
    for (const entry of entries) {
      if (!["stdout", "stderr", "output", "system"].includes(entry.source)) {
        throw new TypeError(
          `Cannot append a log entry of source ${JSON.stringify(entry.source)}: use stdout, ` +
            "stderr, output or system",
        );
      }
      const data = encoder.encode(entry.text);
      this.#store.logs.record(record.id, entry.source, entry.sessionId ?? null, data);
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#stop();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function checkOptions(options: LocalCloudOptions & LocalCloudLogOptions): Settings {
  const settings: Settings = {
    generation: options.generation ?? "current",
    apiKey: options.apiKey ?? randomApiKey(),
    port: options.port ?? 0,
    bootDelayMs: options.bootDelayMs ?? 20,
    stopDelayMs: options.stopDelayMs ?? 10,
    agentIdRange: options.agentIdRange ?? [1000, 2000],
    isolation: options.isolation ?? "auto",
    logHeartbeatMs: options.logHeartbeatMs ?? 15_000,
  };
  if (settings.generation !== "current" && settings.generation !== "v0.5") {
    throw new TypeError(
      `Cannot start a local cloud of generation ${
        JSON.stringify(settings.generation)
      }: use "current" or "v0.5"`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(settings.apiKey)) {
    throw new TypeError(
      "Cannot use the API key: use printable ASCII characters without spaces",
    );
  }
  if (!Number.isInteger(settings.port) || settings.port < 0 || settings.port > 65535) {
    throw new RangeError(`Cannot listen on port ${settings.port}: use an integer from 0 to 65535`);
  }
  if (!Number.isFinite(settings.logHeartbeatMs) || settings.logHeartbeatMs <= 0) {
    throw new RangeError(
      `Cannot use logHeartbeatMs ${settings.logHeartbeatMs}: use a finite number above 0`,
    );
  }
  for (const key of ["bootDelayMs", "stopDelayMs"] as const) {
    if (!Number.isFinite(settings[key]) || settings[key] < 0) {
      throw new RangeError(`Cannot use ${key} ${settings[key]}: use a finite number of at least 0`);
    }
  }
  const [min, max] = settings.agentIdRange;
  if (
    !Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max > 0xffff_ffff ||
    min >= max || max < 2
  ) {
    throw new RangeError(
      `Cannot grant agent ids [${min}, ${max}): use integers with 0 <= min < max <= 4294967295 ` +
        "and at least one id above 0",
    );
  }
  if (!["auto", "bubblewrap", "namespaces", "none"].includes(settings.isolation)) {
    throw new TypeError(
      `Cannot use isolation ${
        JSON.stringify(settings.isolation)
      }: use "auto", "bubblewrap", "namespaces" or "none"`,
    );
  }
  return settings;
}

function randomApiKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `msb_test_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
