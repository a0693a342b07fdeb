/**
 * {@linkcode startLocalCloud}: an in-process emulator of microsandbox cloud on loopback, for
 * tests and local development.
 *
 * @module
 */

import type { WireGeneration } from "../config/client_options.ts";
import type { OrgRole } from "../models/org.ts";
import { buildApp, type RouteGroup } from "./app/_app.ts";
import { ExecHost } from "./exec/_exec_host.ts";
import { execRoutes } from "./exec/_exec_routes.ts";
import { logRoutes } from "./logs/_logs_route.ts";
import { liveLogStreams } from "./logs/_logs_stream.ts";
import { FaultPlan } from "./app/_faults.ts";
import { serveLoopback } from "./app/_serve.ts";
import { checkOptions, type Settings } from "./app/_settings.ts";
import { chooseIsolation, type HostInfo, rootEntries } from "./exec/_isolation.ts";
import type { IsolationMode } from "./isolation_mode.ts";
import { currentAccountRoutes } from "./rest/_account_routes.ts";
import { OrgDirectory } from "./rest/_org.ts";
import { currentRestRoutes } from "./rest/_rest_current.ts";
import { v05RestRoutes } from "./rest/_rest_v05.ts";
import { workdirOf } from "./rest/_sandbox_workdir.ts";
import { SandboxStore } from "./rest/_store.ts";
import { SandboxDirs } from "./sandbox_dir/_sandbox_dirs.ts";
import { FsHost } from "./fs/_fs_host.ts";
import { volumeFileRoutes } from "./volumes/_volume_file_routes.ts";
import { guestMounts } from "./volumes/_volume_mounts.ts";
import { volumeRoutes } from "./volumes/_volume_routes.ts";
import { VolumeStore } from "./volumes/_volume_store.ts";
import type { LocalCloudFaults } from "./local_cloud_faults.ts";
import type { LocalCloudLogOptions, LocalCloudOptions } from "./local_cloud_options.ts";
import type { RecordedRequest } from "./recorded_request.ts";

export type {
  IsolationMode,
  LocalCloudLogOptions,
  LocalCloudOptions,
  RecordedRequest,
  WireGeneration,
};

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
 * A member for {@linkcode LocalCloud.addMember}.
 *
 * @example A viewer without a display name
 * ```ts
 * import type { LocalCloudMember } from "@microsandbox/edge/testing";
 *
 * const viewer: LocalCloudMember = { email: "eve@acme.test", role: "viewer" };
 * ```
 */
export interface LocalCloudMember {
  /** Their email address. */
  email: string;
  /** Their role; `member` when absent. */
  role?: OrgRole;
  /** Their display name; none when absent. */
  displayName?: string;
  /** Their avatar's URL; none when absent. */
  avatarUrl?: string;
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
 * One open port tunnel of the local cloud (a `sandbox.connect` socket), as
 * {@linkcode LocalCloud.openTcpTunnels} lists it.
 *
 * @example See a tunnel close with its socket
 * ```ts
 * import { type LocalCloudTunnel, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud();
 * const open: readonly LocalCloudTunnel[] = cloud.openTcpTunnels();
 * assert.deepEqual(open, []);
 * ```
 */
export interface LocalCloudTunnel {
  /** The id of the sandbox it reaches into. */
  readonly sandbox: string;
  /** The host it connected to, as the sandbox resolves it. */
  readonly host: string;
  /** The port. */
  readonly port: number;
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
   * How commands run. `"bubblewrap"`: each runs under `bwrap` in its own user, pid and mount
   * namespaces and its sandbox's network namespace (it sees only its own processes and a
   * loopback-only network that the sandbox's commands and port tunnels share) with
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
   * Lists the port tunnels open now: one per `core.tcp.connect` whose connection was made and
   * has not ended (closed by either side, broken, or ended with its sandbox). Each connects from
   * inside its sandbox's own network (under `"namespaces"` and `"bubblewrap"`, one network
   * namespace per sandbox that all its commands share); under `"none"` every tunnel is refused.
   *
   * @returns The open tunnels, oldest first.
   */
  openTcpTunnels(): readonly LocalCloudTunnel[];
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
   * How many guest file handles (`core.fs.request` `OpenFile`) are open on every agent socket
   * together: a testing aid to see that a finished, failed, cancelled or aborted `readFile` or
   * `writeFile` closed its handle. A socket's handles close with the socket.
   *
   * @returns The count; 0 once every read and write has ended.
   *
   * @example No handle stays open after a read
   * ```ts
   * import { Microsandbox } from "@microsandbox/edge";
   * import { startLocalCloud } from "@microsandbox/edge/testing";
   * import assert from "node:assert/strict";
   *
   * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
   * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
   * const sandbox = await msb.sandboxes.create({ name: "handles", image: "alpine" });
   * await sandbox.fs.writeFile("/tmp/a.txt", "a");
   * assert.equal(await sandbox.fs.text("/tmp/a.txt"), "a");
   * assert.equal(cloud.openFileHandles(), 0);
   * ```
   */
  openFileHandles(): number;
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
   * A testing aid: adds a member to the cloud's organisation, after its owner
   * (`owner@local-cloud.test`) and those added before (`GET /v1/members` lists them in that order).
   *
   * @param member Their email, and optionally role (`member` by default), display name and avatar.
   * @returns The new membership's id.
   *
   * @example A team of three
   * ```ts
   * import { Microsandbox } from "@microsandbox/edge";
   * import { startLocalCloud } from "@microsandbox/edge/testing";
   * import assert from "node:assert/strict";
   *
   * await using cloud = await startLocalCloud();
   * cloud.addMember({ email: "ada@acme.test", role: "admin", displayName: "Ada" });
   * cloud.addMember({ email: "bob@acme.test" });
   * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
   * const emails: string[] = [];
   * for await (const member of msb.account.members()) emails.push(member.email);
   * assert.deepEqual(emails, ["owner@local-cloud.test", "ada@acme.test", "bob@acme.test"]);
   * ```
   */
  addMember(member: LocalCloudMember): string;
  /**
   * A testing aid: the host directory that holds a volume's files, so a test can put files there
   * without sending them (a large sparse file to fill a cap, say).
   *
   * @param name The volume's name; `null` for the host volume.
   * @returns The directory's path, made on first use.
   * @throws {Error} When no volume has that name.
   *
   * @example Fill most of a 1 GiB cap without sending a byte
   * ```ts
   * import { Microsandbox } from "@microsandbox/edge";
   * import { startLocalCloud } from "@microsandbox/edge/testing";
   * import assert from "node:assert/strict";
   *
   * await using cloud = await startLocalCloud();
   * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
   * await msb.volumes.create({ name: "small", quotaGib: 1 });
   * const dir = await cloud.volumeDir("small");
   * using filler = await Deno.create(`${dir}/filler`);
   * await filler.truncate(2 ** 30 - 1024);
   * assert.equal((await msb.volumes.get("small")).usedBytes, 2 ** 30 - 1024);
   * ```
   */
  volumeDir(name: string | null): Promise<string>;
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

const REST_ROUTES: Record<WireGeneration, RouteGroup> = {
  current: (context) =>
    currentRestRoutes(context.store, context.volumes).route(
      "/",
      currentAccountRoutes(context.store, context.org),
    ),
  "v0.5": (context) => v05RestRoutes(context.store),
};

/** The routes only today's cloud has. */
const CURRENT_ONLY_ROUTES: Record<WireGeneration, readonly RouteGroup[]> = {
  current: [
    (context) => volumeRoutes(context.volumes),
    (context) => volumeFileRoutes(context.volumes),
  ],
  "v0.5": [],
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

class RunningCloud implements LocalCloud {
  readonly url: string;
  readonly apiKey: string;
  readonly generation: WireGeneration;
  readonly faults: LocalCloudFaults;
  readonly requests: readonly RecordedRequest[];
  readonly isolation: IsolationMode;
  readonly isolationShortfall: string | null;
  readonly #exec: ExecHost;
  readonly #fs: FsHost;
  readonly #store: SandboxStore;
  readonly #org: OrgDirectory;
  readonly #volumes: VolumeStore;
  readonly #stop: () => Promise<void>;
  #closing: Promise<void> | undefined;

  constructor(settings: Settings, host: HostInfo) {
    const closing = new AbortController();
    const faults = new FaultPlan(closing.signal);
    const store = new SandboxStore({
      bootDelayMs: settings.bootDelayMs,
      stopDelayMs: settings.stopDelayMs,
      takeBootPlan: () => faults.takeBootPlan(),
    });
    this.#org = new OrgDirectory(store.orgId);
    const requests: RecordedRequest[] = [];
    const volumes = new VolumeStore();
    const { apiKey, generation, agentIdRange, bootDelayMs, logHeartbeatMs } = settings;
    const dirs = new SandboxDirs(
      rootEntries(host),
      (id) => workdirOf(store.byId(id).spec),
      (id) => guestMounts(store.byId(id).spec, volumes),
    );
    const exec = new ExecHost(host, dirs);
    const fs = new FsHost(dirs);
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
        fs,
        agentIdRange,
        bootDelayMs,
        logHeartbeatMs,
        closing: closing.signal,
        org: this.#org,
        volumes,
      },
      [REST_ROUTES[generation], execRoutes, logRoutes, ...CURRENT_ONLY_ROUTES[generation]],
    );
    const server = serveLoopback(app, settings.port);
    this.url = server.url;
    this.apiKey = apiKey;
    this.generation = generation;
    this.faults = faults;
    this.requests = requests;
    this.isolation = host.isolation;
    this.isolationShortfall = host.shortfall;
    this.#exec = exec;
    this.#fs = fs;
    this.#store = store;
    this.#volumes = volumes;
    this.#stop = async () => {
      store.close();
      closing.abort();
      await exec.close();
      await server.close();
      await volumes.removeAll();
    };
  }

  processes(): readonly LocalCloudProcess[] {
    return this.#exec.processes();
  }

  openTcpTunnels(): readonly LocalCloudTunnel[] {
    return this.#exec.nets.tunnels();
  }

  liveLogStreams(): number {
    return liveLogStreams(this.#store);
  }

  liveSockets(): number {
    return this.#exec.openSockets();
  }

  openFileHandles(): number {
    return this.#fs.openHandles;
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

  addMember(member: LocalCloudMember): string {
    return this.#org.add(member).id;
  }

  async volumeDir(name: string | null): Promise<string> {
    const record = this.#volumes.list().find((volume) => volume.name === name);
    if (!record) throw new Error(`Cannot find a volume named ${JSON.stringify(name)}`);
    return await this.#volumes.dir(record);
  }

  close(): Promise<void> {
    this.#closing ??= this.#stop();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
