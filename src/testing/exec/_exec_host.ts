/**
 * The processes of one local cloud: the registry of live processes, run in their sandboxes'
 * folders (kept by `SandboxDirs`), and the cleanup when a sandbox stops or is deleted and when
 * the cloud closes.
 *
 * @module
 */

import { type GuestMount, SandboxDirs } from "../sandbox_dir/_sandbox_dirs.ts";
import { type HostInfo, type IsolationMode, rootEntries } from "./_isolation.ts";
import { spawnProcess } from "./_exec_process.ts";
import type { OutputSink } from "./_output_pump.ts";
import type { ProcessRequest } from "./_process_request.ts";
import type { RunningProcess } from "./_running_process.ts";
import type { SpawnFailure } from "./_spawn_failure.ts";
import { SandboxNets } from "../tcp/_sandbox_nets.ts";

/** One live process, as {@linkcode ExecHost.processes} lists it. */
export interface ExecProcessInfo {
  /** The id of the sandbox it runs in. */
  readonly sandbox: string;
  /** Its host pid (the outermost wrapper's, under isolation). */
  readonly pid: number;
  /** The command as requested. */
  readonly cmd: string;
  /** The user the request named, `null` when none; every command runs as the cloud's own. */
  readonly user: string | null;
}

/** Closes one exec socket; `now` skips waiting for queued bytes. */
export type SocketCloser = (now: boolean) => void;

interface Entry extends ExecProcessInfo {
  readonly process: RunningProcess;
}

/** The processes and sandbox directories of one local cloud. */
export class ExecHost {
  /** The tools and isolation mode in use. */
  readonly host: HostInfo;
  /** The sandboxes' folders the commands run in. */
  readonly dirs: SandboxDirs;
  /** The sandboxes' networks, which their commands and port tunnels join. */
  readonly nets: SandboxNets;
  readonly #live = new Set<Entry>();
  readonly #sockets = new Map<string, Set<SocketCloser>>();
  #closed = false;

  /**
   * Creates an empty host; nothing touches the disk until the first command.
   *
   * @param host The tools and isolation mode.
   * @param dirs The sandboxes' folders; by default a set of its own, laid out for `host`.
   */
  constructor(host: HostInfo, dirs: SandboxDirs = new SandboxDirs(rootEntries(host))) {
    this.host = host;
    this.dirs = dirs;
    this.nets = new SandboxNets(host);
  }

  /** How commands are isolated. */
  get isolation(): IsolationMode {
    return this.host.isolation;
  }

  /**
   * Starts a command in a sandbox and keeps it in the registry until it ends.
   *
   * @param sandbox The sandbox id.
   * @param request What to run.
   * @param sink Takes the output.
   * @returns The process, or why it could not start.
   */
  async spawn(
    sandbox: string,
    request: ProcessRequest,
    sink: OutputSink,
  ): Promise<{ process: RunningProcess } | { failure: SpawnFailure }> {
    if (this.#closed) return { failure: closing() };
    let sandboxDir: string;
    let mounts: readonly GuestMount[];
    let enter: string[] | null;
    try {
      sandboxDir = await this.dirs.path(sandbox);
      mounts = await this.dirs.mounts(sandbox);
      enter = await this.nets.enter(sandbox);
    } catch (error) {
      return {
        failure: {
          kind: "other",
          errno: null,
          errnoName: null,
          message: `cannot prepare the sandbox directory: ${(error as Error).message}`,
          stage: "mkdir",
        },
      };
    }
    if (this.#closed) return { failure: closing() };
    const started = await spawnProcess(
      request,
      { sandboxDir, host: this.host, mounts, enter },
      sink,
    );
    if ("failure" in started) return started;
    const { process } = started;
    const entry: Entry = {
      sandbox,
      pid: process.pid,
      cmd: request.cmd,
      user: request.user,
      process,
    };
    this.#live.add(entry);
    process.ended.then(() => this.#live.delete(entry));
    if (this.#closed) await process.kill();
    return started;
  }

  /**
   * The live processes, oldest first.
   *
   * @returns One entry per process.
   */
  processes(): ExecProcessInfo[] {
    return [...this.#live].map(({ sandbox, pid, cmd, user }) => ({ sandbox, pid, cmd, user }));
  }

  /**
   * Registers an open exec socket of a sandbox, to be closed when the sandbox stops or is
   * deleted, or the cloud closes.
   *
   * @param sandbox The sandbox id.
   * @param close Closes the socket (`now`: without waiting for queued bytes).
   * @returns A function that unregisters it.
   */
  attach(sandbox: string, close: SocketCloser): () => void {
    if (this.#closed) {
      close(true);
      return () => {};
    }
    const set = this.#sockets.get(sandbox) ?? new Set();
    this.#sockets.set(sandbox, set);
    set.add(close);
    return () => {
      set.delete(close);
      if (set.size === 0 && this.#sockets.get(sandbox) === set) this.#sockets.delete(sandbox);
    };
  }

  /**
   * How many exec sockets are open (registered and not closed yet).
   *
   * @returns The count, across every sandbox.
   */
  openSockets(): number {
    let count = 0;
    for (const set of this.#sockets.values()) count += set.size;
    return count;
  }

  /**
   * Kills every process of a sandbox, waits until they have ended (their sessions answer
   * `core.exec.exited` with −1), then closes the sandbox's exec sockets.
   *
   * @param sandbox The sandbox id.
   * @returns A promise that resolves once the processes have ended.
   */
  async killSandbox(sandbox: string): Promise<void> {
    const entries = [...this.#live].filter((entry) => entry.sandbox === sandbox);
    await Promise.all(entries.map((entry) => entry.process.kill()));
    await this.nets.drop(sandbox);
    for (const close of [...this.#sockets.get(sandbox) ?? []]) close(false);
  }

  /**
   * Kills a sandbox's processes and removes its directory.
   *
   * @param sandbox The sandbox id.
   * @returns A promise that resolves once it is gone.
   */
  async removeSandbox(sandbox: string): Promise<void> {
    await this.killSandbox(sandbox);
    await this.dirs.remove(sandbox);
  }

  /**
   * Kills every process, waits until they have ended, and removes the cloud's directory.
   *
   * @returns A promise that resolves once everything is gone.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const set of [...this.#sockets.values()]) for (const close of [...set]) close(true);
    await Promise.all([...this.#live].map((entry) => entry.process.kill()));
    await this.nets.close();
    await this.dirs.removeAll();
  }
}

function closing(): SpawnFailure {
  return {
    kind: "other",
    errno: null,
    errnoName: null,
    message: "the local cloud is closing",
    stage: null,
  };
}
