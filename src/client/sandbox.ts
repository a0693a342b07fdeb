// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ExecTimeoutError, SandboxNotFoundError } from "../errors.ts";
import { collect } from "../exec/_collect.ts";
import { buildExecRequest } from "../exec/_exec_request.ts";
import { openExecChannel } from "../exec/exec_channel.ts";
import type { ExecOptions, SpawnOptions } from "../exec/exec_options.ts";
import type { ExecOutput } from "../exec/exec_output.ts";
import { type ExecProcess, startProcess } from "../exec/exec_process.ts";
import type { FsRoute } from "../fs/_fs_route.ts";
import { type SandboxFs, sandboxFs } from "../fs/sandbox_fs.ts";
import type { LogEntry } from "../logs/log_entry.ts";
import { connectTarget } from "../tcp/_connect_target.ts";
import { fetchThrough, sandboxRequest } from "../tcp/_sandbox_fetch.ts";
import { openTunnel } from "../tcp/_tunnel_socket.ts";
import { webSocketThrough } from "../tcp/_sandbox_web_socket.ts";
import type { WebSocketConnection } from "../ws/web_socket_connection.ts";
import type { SandboxWebSocketOptions } from "../ws/web_socket_options.ts";
import type { ConnectOptions, SandboxSocket } from "../tcp/sandbox_socket.ts";
import { capability } from "../wire/_capability.ts";
import { type LogsOptions, openLogStream } from "../logs/log_stream.ts";
import type { SandboxInfo, SandboxStatus } from "../models/sandbox_info.ts";
import type { SandboxSpec } from "../models/sandbox_spec.ts";
import { openOrExplain } from "./_exec_open_failure.ts";
import { destroySandbox } from "./_destroy.ts";
import { restartSandbox, startSandbox, stopSandbox, waitForSandbox } from "./_lifecycle.ts";
import type { SandboxApi } from "./_sandbox_api.ts";
import type {
  RequestOptions,
  SandboxUpdate,
  StartOptions,
  StopOptions,
  WaitForOptions,
} from "./request_options.ts";

let makeHandle: (api: SandboxApi, info: SandboxInfo, owned: boolean) => Sandbox;

/**
 * Wraps what the cloud said of a sandbox in a handle; `owned` handles remove their sandbox when
 * disposed.
 */
export function sandboxHandle(api: SandboxApi, info: SandboxInfo, owned: boolean): Sandbox {
  return makeHandle(api, info, owned);
}

/**
 * A handle on one sandbox: its fields as last seen, and the operations on it. Get one from
 * `msb.sandboxes` (`create`, `get`, `getById`, `list`).
 *
 * A handle that `create` returned owns its sandbox: `await using` removes the sandbox when the
 * scope ends. Handles from `get` and `list` do not; disposing them does nothing.
 *
 * @example Lifecycle through a handle
 * ```ts ignore
 * import { Microsandbox } from "@microsandbox/edge";
 *
 * const msb = Microsandbox.fromEnv();
 * await using sandbox = await msb.sandboxes.create({ name: "scratch", image: "python" });
 * console.log(sandbox.status); // "running"
 * await sandbox.stop();
 * console.log(sandbox.status); // "stopped"
 * await sandbox.start();
 * console.log(sandbox.status); // "running"
 * ```
 */
export class Sandbox implements SandboxInfo, AsyncDisposable {
  declare readonly id: string;
  declare readonly orgId: string;
  declare readonly name: string;
  declare readonly slug: string | undefined;
  declare readonly status: SandboxStatus;
  declare readonly statusReason: string | undefined;
  declare readonly ephemeral: boolean;
  declare readonly createdAt: Date;
  declare readonly startedAt: Date | undefined;
  declare readonly stoppedAt: Date | undefined;
  declare readonly lastError: string | undefined;
  declare readonly spec: SandboxSpec;
  readonly #api: SandboxApi;
  readonly #owned: boolean;
  #fs: SandboxFs | undefined;

  static {
    makeHandle = (api, info, owned) => new Sandbox(api, info, owned);
  }

  private constructor(api: SandboxApi, info: SandboxInfo, owned: boolean) {
    this.#api = api;
    this.#owned = owned;
    this.#apply(info);
  }

  /**
   * Starts the sandbox, waits until it runs, and updates this handle.
   *
   * @param options The wait for `running` and a signal.
   * @returns This handle.
   */
  async start(options?: StartOptions): Promise<this> {
    return this.#apply(await startSandbox(this.#api, this.name, options));
  }

  /**
   * Stops the sandbox, waits until it is `stopped` (`{ wait: false }` returns at once), and
   * updates this handle.
   *
   * @param options Whether and how long to wait, and a signal.
   * @returns This handle.
   */
  async stop(options?: StopOptions): Promise<this> {
    return this.#apply(await stopSandbox(this.#api, this.name, options, this.#read));
  }

  /**
   * Stops the sandbox if it is starting or running (waiting for `stopped`), starts it again, waits
   * until it runs, and updates this handle.
   *
   * @param options How long each wait may take, and a signal.
   * @returns This handle.
   */
  async restart(options?: StartOptions): Promise<this> {
    return this.#apply(await restartSandbox(this.#api, this.name, options, this.#read));
  }

  /**
   * Stops the sandbox (waiting for `stopped`) and removes it: this sandbox, by its id, never
   * another one created under the same name since. Such a one is refused with a `ConflictError`
   * and left alone; a sandbox already gone is fine. On the current wire the id is the address;
   * on `v0.5`, which has only names, every read checks the id before the next step.
   *
   * @param options How long the stop may take, and a signal.
   */
  async destroy(options?: Omit<StopOptions, "wait">): Promise<void> {
    await destroySandbox(this.#api, this, options);
  }

  /**
   * Waits until the sandbox is `status`, reading it again with growing pauses (50 ms up to 1 s)
   * and updating this handle at every read. A status that cannot become the one asked for by
   * itself (such as `stopped` when waiting for `running`) rejects at once with `RuntimeError`.
   *
   * @param status The status to wait for.
   * @param options How long to wait (`TimeoutError` after that) and a signal.
   * @returns This handle.
   */
  async waitFor(status: SandboxStatus, options?: WaitForOptions): Promise<this> {
    return this.#apply(await waitForSandbox(this.#read, status, options));
  }

  /**
   * Starts a command and streams it: write its `stdin`, read its `stdout`, `stderr` or `events`,
   * send signals, resize its terminal. Resolves once the process runs; a command that cannot start
   * rejects with `ExecFailedError`.
   *
   * @param cmd The program (no shell: use `shell` for that).
   * @param args Its arguments.
   * @param options Env, cwd, user, rlimits, a terminal, a signal and a timeout.
   * @returns The running process.
   */
  spawn(
    cmd: string,
    args: readonly string[] = [],
    options: SpawnOptions = {},
  ): Promise<ExecProcess> {
    return this.#start(cmd, args, options, "own");
  }

  /**
   * Runs a command to its end and returns what it printed. Its stdin gets `options.stdin` then
   * end-of-file.
   *
   * @param cmd The program (no shell: use `shell` for that).
   * @param args Its arguments.
   * @param options Env, cwd, user, stdin, a timeout, a signal and the output bound.
   * @returns The exit code, stdout and stderr.
   */
  async exec(
    cmd: string,
    args: readonly string[] = [],
    options: ExecOptions = {},
  ): Promise<ExecOutput> {
    const { stdin: _stdin, maxOutputBytes: _max, ...spawnOptions } = options;
    return await collect(await this.#start(cmd, args, spawnOptions, "shared"), options);
  }

  /**
   * Runs a script with the sandbox's shell (`/bin/sh` unless its spec says otherwise).
   *
   * @param script The script.
   * @param options As for `exec`.
   * @returns The exit code, stdout and stderr.
   */
  async shell(script: string, options?: ExecOptions): Promise<ExecOutput> {
    return await this.exec(this.spec.shell ?? "/bin/sh", ["-c", script], options);
  }

  /**
   * Follows the sandbox's log as a stream of entries, read only as fast as you read it. It
   * resumes after a disconnect from the last entry's cursor, so you see every entry once, in
   * order; it ends when the sandbox stops (the server's `end`), at `until`, or when cancelled.
   *
   * @param options Sources, a time window, a cursor to resume after, a signal, reconnection and
   * the stall timeout.
   * @returns The entries.
   */
  logs(options?: LogsOptions): ReadableStream<LogEntry> {
    return openLogStream(this.#api.logsTarget(this.id, options), options);
  }

  /**
   * Renames the sandbox and/or changes its slug (`PATCH /v1/sandboxes/{id}`, current wire only),
   * and updates this handle. A name or slug another sandbox has rejects with
   * `SandboxAlreadyExistsError`; an ill-formed slug with `InvalidConfigError`.
   *
   * @param change The new name and/or slug.
   * @param options A signal.
   * @returns This handle.
   */
  async update(change: SandboxUpdate, options?: RequestOptions): Promise<this> {
    return this.#apply(await this.#api.update(this.id, change, options));
  }

  /**
   * The sandbox's guest filesystem: read and write files as Web Streams, list, stat, make and
   * remove directories and links (`wire: "current"` only; `v0.5` refuses every call).
   */
  get fs(): SandboxFs {
    return this.#fs ??= sandboxFs(this.#fsRoute());
  }

  /**
   * Opens a TCP connection to `port` inside the sandbox (`wire: "current"` only), such as a
   * server a command started there, over an agent socket of its own: a slow reader slows only
   * this connection. Returns at once; `opened` says when the connection is made, or rejects with
   * `ConnectionRefusedError` when nothing listens there. A bad port or host throws
   * `InvalidConfigError`, and `v0.5` `UnsupportedError`, before anything is sent.
   *
   * @param port The port, from 1 to 65535.
   * @param options The host (default `127.0.0.1`, as the sandbox sees it) and a signal that
   * closes the socket.
   * @returns The socket.
   */
  connect(port: number, options: ConnectOptions = {}): SandboxSocket {
    const api = this.#api;
    capability(api.wire, "tcp", "connect");
    const target = connectTarget(port, options.host);
    const open = (signal: AbortSignal | undefined) =>
      openOrExplain(
        api,
        this.name,
        () => api.exec.open(this, { socket: "own", signal }),
        signal,
        "connect",
      );
    return openTunnel(open, target, `sandbox "${this.name}"`, options.signal);
  }

  /**
   * Sends one HTTP/1.1 request to a server that listens on `port` in the sandbox, over a
   * connection of its own ({@linkcode Sandbox.connect}), and resolves with a standard `Response`
   * once its head is in (`wire: "current"` only). `input` is a `Request`, a URL or a bare path
   * (`"/index.html"`, read against `http://localhost:<port>`); the URL's host only names the
   * server in `Host`. Bodies stream both ways, redirects are returned rather than followed, a
   * malformed answer is a `ProtocolError`, nothing listening a `ConnectionRefusedError`; the
   * request's `signal`, or cancelling the response body, closes the connection. A bad port
   * rejects with `InvalidConfigError`, and `v0.5` with `UnsupportedError`, before anything is sent.
   *
   * @param port The port, from 1 to 65535.
   * @param input The request, its URL or its path.
   * @param init As for the global `fetch`.
   * @returns The response, its body streaming from the sandbox.
   * @example Read a page a command serves in the sandbox
   * ```ts ignore
   * await sandbox.spawn("python3", ["-m", "http.server", "8000"]);
   * // Once it listens (until then, ConnectionRefusedError):
   * const page = await sandbox.fetch(8000, "/index.html");
   * console.log(page.status, await page.text());
   * ```
   */
  async fetch(port: number, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    capability(this.#api.wire, "tcp", "fetch");
    const request = sandboxRequest(port, input, init);
    return await fetchThrough((at, signal) => this.connect(at, { signal }), port, request);
  }

  /**
   * Opens a WebSocket to a server that listens on `port` in the sandbox, at `path`, over a TCP
   * connection of its own ({@linkcode Sandbox.connect}; `wire: "current"` only), in the shape of
   * the Web's `WebSocketStream`: `opened` gives the readable and writable of messages once the
   * server has accepted the upgrade, `closed` how it ended, `close()` starts the closing
   * handshake. Client frames are masked, server frames checked (RFC 6455), messages bounded;
   * a server that breaks the protocol fails the connection with a `ProtocolError`. A bad port,
   * path or subprotocol throws or rejects with `InvalidConfigError`, and `v0.5` throws
   * `UnsupportedError`, before anything is sent.
   *
   * @param port The port, from 1 to 65535.
   * @param path The request target, a path starting with `/` (and its query).
   * @param options Subprotocols to offer, the message bound, how long `close()` waits for the
   *   server's close frame, and a signal that closes it.
   * @returns The connection.
   * @example Talk to a WebSocket server a command started in the sandbox
   * ```ts ignore
   * const ws = sandbox.webSocket(8080, "/chat", { protocols: ["chat"] });
   * const { readable, writable } = await ws.opened;
   * await writable.getWriter().write("hello");
   * for await (const message of readable) console.log(message);
   * ```
   */
  webSocket(port: number, path = "/", options: SandboxWebSocketOptions = {}): WebSocketConnection {
    capability(this.#api.wire, "tcp", "webSocket");
    const { signal } = options;
    return webSocketThrough(
      (at) => this.connect(at, signal === undefined ? {} : { signal }),
      port,
      path,
      options,
    );
  }

  /**
   * Removes the sandbox.
   *
   * @param options A signal.
   */
  async remove(options?: RequestOptions): Promise<void> {
    await this.#api.remove(this.name, options);
  }

  /**
   * Reads the sandbox again and updates this handle.
   *
   * @param options A signal.
   * @returns This handle.
   */
  async refresh(options?: RequestOptions): Promise<this> {
    return this.#apply(await this.#api.get(this.name, options));
  }

  /**
   * Removes the sandbox if this handle created it; a sandbox already gone is fine.
   *
   * @returns When the sandbox is removed.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#owned) return;
    try {
      await this.remove();
    } catch (error) {
      if (!(error instanceof SandboxNotFoundError)) throw error;
    }
  }

  /** Reads the sandbox again and updates this handle. */
  readonly #read = async (signal?: AbortSignal): Promise<SandboxInfo> =>
    this.#apply(await this.#api.get(this.name, { signal }));

  /** Starts a process on a socket of its own (streamed) or on the shared one (collected). */
  async #start(
    cmd: string,
    args: readonly string[],
    options: SpawnOptions,
    socket: "own" | "shared",
  ): Promise<ExecProcess> {
    const request = buildExecRequest(this.spec, cmd, args, options);
    const { signal, timeout } = options;
    const deadline = timeout === undefined ? undefined : AbortSignal.timeout(timeout);
    const both = signal && deadline ? AbortSignal.any([signal, deadline]) : signal ?? deadline;
    try {
      const channel = await openOrExplain(
        this.#api,
        this.name,
        () => openExecChannel(this.#api.exec, this, request, { socket, signal: both }),
        both,
      );
      return await startProcess(channel, { startSignal: both, signal, timeout });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (deadline?.aborted) throw new ExecTimeoutError(timeout!, { cause: error });
      throw error;
    }
  }

  #fsRoute(): FsRoute {
    const api = this.#api;
    return {
      require: (feature) => capability(api.wire, "files", feature),
      session: (signal) =>
        openOrExplain(
          api,
          this.name,
          () => api.exec.open(this, { socket: "shared", signal }),
          signal,
          "fs",
        ),
      // The generation that has `files` has an agent port with links.
      link: (signal) =>
        openOrExplain(api, this.name, () => api.exec.link!(this, signal), signal, "fs"),
    };
  }

  #apply(info: SandboxInfo): this {
    Object.assign(this, {
      id: info.id,
      orgId: info.orgId,
      name: info.name,
      slug: info.slug,
      status: info.status,
      statusReason: info.statusReason,
      ephemeral: info.ephemeral,
      createdAt: info.createdAt,
      startedAt: info.startedAt,
      stoppedAt: info.stoppedAt,
      lastError: info.lastError,
      spec: info.spec,
    });
    return this;
  }
}
