/**
 * The local cloud's process layer: runs one exec request as a real host process for a sandbox,
 * the way agentd runs it in a guest. Spawn failures come back as agentd's `ExecFailed` kinds;
 * output is read only as fast as the consumer takes it, and is complete when both pipes reach
 * EOF; exit codes follow agentd (−1 when a signal ended the command). When the command ends,
 * everything it started ends with it.
 *
 * What a command sees depends on the isolation (see `_isolation.ts`): under `bubblewrap` its
 * sandbox's own root view (paths mapped by `_guest_paths.ts`, `HOME=/root`); otherwise the
 * host's file system, with the working directory mapped into the sandbox folder and `HOME` set
 * to that folder. Programs are found on the request's `PATH` (a usual default when it sets
 * none). `user` is not applied: every command runs as the local cloud's own user (as root of
 * its user namespace under `bubblewrap` and `namespaces`). How a command is wrapped is
 * `_exec_chain.ts`.
 *
 * @module
 */

import { type Chain, planChain } from "./_exec_chain.ts";
import { locateGuestPath } from "../sandbox_dir/_guest_paths.ts";
import { checkCwd, type CommandView, commandView, resolveProgram } from "./_exec_program.ts";
import { GUEST_PATH, type HostInfo, hostPath } from "./_isolation.ts";
import {
  drainPipes,
  ESCAPED_IDLE_MS,
  type OutputSink,
  type OutputStream,
  Pump,
  STRAY_IDLE_MS,
} from "./_output_pump.ts";
import { childrenOf, freezeTree } from "./_process_table.ts";
import { ERRNO, failure, type SpawnFailure } from "./_spawn_failure.ts";
import { RLIMIT_RESOURCES } from "../../models/sandbox_spec.ts";

export type { OutputSink, OutputStream, SpawnFailure };

/** One resource limit, as in the protocol's `ExecRlimit`. */
export interface ProcessRlimit {
  /** Lower-case resource name, e.g. `nofile`. */
  readonly resource: string;
  /** Soft limit. */
  readonly soft: number | bigint;
  /** Hard limit. */
  readonly hard: number | bigint;
}

/** What to run: the protocol's `ExecRequest` fields. */
export interface ProcessRequest {
  /** The program: a name looked up on `PATH`, or a path. */
  readonly cmd: string;
  /** The arguments after the program name. */
  readonly args: readonly string[];
  /** The full environment as `KEY=VALUE` entries; entries without `=` are dropped. */
  readonly env: readonly string[];
  /** The working directory in the sandbox; `null` is `/`. */
  readonly cwd: string | null;
  /** Ignored: commands run as the local cloud's user. */
  readonly user: string | null;
  /** Run under a terminal (output merged into stdout). */
  readonly tty: boolean;
  /** Terminal rows. */
  readonly rows: number;
  /** Terminal columns. */
  readonly cols: number;
  /** Resource limits, applied with `prlimit`. */
  readonly rlimits: readonly ProcessRlimit[];
}

/** Why a stdin write failed: the protocol's `ExecStdinError`. */
export interface StdinFailure {
  /** The errno, when known. */
  readonly errno: number | null;
  /** Its name, e.g. `EPIPE`. */
  readonly errnoName: string | null;
  /** What happened. */
  readonly message: string;
}

/** Which pipe a chunk of output came from (`stdout` only, under a terminal). */
/** How a command ended: its exit code (−1 when killed by a signal), or a late spawn failure. */
export type ProcessEnd = { readonly code: number } | { readonly failure: SpawnFailure };
/** Where a command runs. */
export interface ProcessPlace {
  /** The host folder that is the sandbox's `/`, laid out by `layOutRoot`. */
  readonly sandboxDir: string;
  /** The host's tools and isolation mode. */
  readonly host: HostInfo;
}

/** The reaper's status files, inside the sandbox folder. */
const STATUS_DIR = "/.msb/run";
const SIGNALS: Readonly<Record<number, Deno.Signal>> = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  4: "SIGILL",
  5: "SIGTRAP",
  6: "SIGABRT",
  7: "SIGBUS",
  8: "SIGFPE",
  9: "SIGKILL",
  10: "SIGUSR1",
  11: "SIGSEGV",
  12: "SIGUSR2",
  13: "SIGPIPE",
  14: "SIGALRM",
  15: "SIGTERM",
  16: "SIGSTKFLT",
  17: "SIGCHLD",
  18: "SIGCONT",
  19: "SIGSTOP",
  20: "SIGTSTP",
  21: "SIGTTIN",
  22: "SIGTTOU",
  23: "SIGURG",
  24: "SIGXCPU",
  25: "SIGXFSZ",
  26: "SIGVTALRM",
  27: "SIGPROF",
  28: "SIGWINCH",
  29: "SIGIO",
  30: "SIGPWR",
  31: "SIGSYS",
};

const RLIMITS: ReadonlySet<string> = new Set(RLIMIT_RESOURCES);

const RLIM_INFINITY = 2n ** 64n - 1n;

/**
 * Maps a Linux signal number to Deno's name for it.
 *
 * @param signal The number, e.g. 15.
 * @returns The name, e.g. `SIGTERM`, or `undefined` for an unknown number.
 */
export function signalName(signal: number): Deno.Signal | undefined {
  return SIGNALS[signal];
}

/**
 * Starts one command.
 *
 * @param request What to run.
 * @param place The sandbox folder and the host's tools.
 * @param sink Takes the output; the pipes are read only as fast as it settles.
 * @returns The running process, or why it could not start.
 */
export async function spawnProcess(
  request: ProcessRequest,
  place: ProcessPlace,
  sink: OutputSink,
): Promise<{ process: RunningProcess } | { failure: SpawnFailure }> {
  const rootView = place.host.isolation === "bubblewrap";
  const view = commandView(place.sandboxDir, rootView, request.cwd);
  const cwdProblem = await checkCwd(view, request.cwd ?? "/");
  if (cwdProblem) return { failure: cwdProblem };
  const env = buildEnv(request.env, place.sandboxDir, rootView);
  const program = await resolveProgram(request.cmd, env.PATH ?? "", view);
  if ("failure" in program) return program;
  const limits = rlimitArgs(request.rlimits, place.host.tools.prlimit);
  if ("failure" in limits) return limits;
  if (request.tty && !place.host.tools.script) {
    return {
      failure: failure(
        "pty_setup_failed",
        null,
        "cannot allocate a terminal: util-linux `script` is not installed on the local cloud's host",
        "posix_openpt",
      ),
    };
  }
  const plan = chainOf(request, program.path, limits.args, view, place);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(plan.exe, {
      args: plan.args,
      cwd: view.hostOf(view.cwd),
      env,
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      detached: place.host.isolation === "none",
    }).spawn();
  } catch (error) {
    return { failure: spawnError(error, request.cmd) };
  }
  return { process: new RunningProcess(child, request, plan, place, sink) };
}

function chainOf(
  request: ProcessRequest,
  program: string,
  limits: readonly string[],
  view: CommandView,
  place: ProcessPlace,
): Chain {
  const status = `${STATUS_DIR}/${crypto.randomUUID()}`;
  const onHost = locateGuestPath(place.sandboxDir, status).path;
  return planChain(
    {
      program,
      argv: [request.cmd, ...request.args],
      limits,
      tty: request.tty ? { rows: request.rows, cols: request.cols } : null,
      cwd: view.cwd,
    },
    {
      sandboxDir: place.sandboxDir,
      statusFile: onHost,
      statusFileInside: place.host.isolation === "bubblewrap" ? status : onHost,
      host: place.host,
    },
  );
}

/** A command that started. */
export class RunningProcess {
  /** The host pid of the spawned process (the outermost wrapper). */
  readonly pid: number;
  /** Resolves when the command has ended and its output has been handed to the sink. Never rejects. */
  readonly ended: Promise<ProcessEnd>;
  readonly #child: Deno.ChildProcess;
  readonly #tty: boolean;
  readonly #chain: Chain;
  readonly #stty: string | null;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  #stdinClosed = false;
  #stdinQueue: Promise<unknown> = Promise.resolve();
  #commandPid: number | undefined;
  #exited = false;

  /**
   * Wraps a spawned child.
   *
   * @param child The child.
   * @param request What it runs.
   * @param chain How it is wrapped.
   * @param place Where it runs.
   * @param sink Takes its output.
   */
  constructor(
    child: Deno.ChildProcess,
    request: ProcessRequest,
    chain: Chain,
    place: ProcessPlace,
    sink: OutputSink,
  ) {
    this.pid = child.pid;
    this.#child = child;
    this.#tty = request.tty;
    this.#chain = chain;
    this.#stty = place.host.tools.stty;
    this.#writer = child.stdin.getWriter();
    this.#writer.closed.catch(() => {});
    if (chain.depth === 0) this.#commandPid = child.pid;
    const out: OutputStream = "stdout";
    const pumps = [
      new Pump(child.stdout, out, sink),
      new Pump(child.stderr, request.tty ? out : "stderr", sink),
    ];
    this.ended = this.#run(pumps, place.host.isolation === "none");
  }

  /**
   * Writes to the command's stdin, waiting until the pipe has taken the bytes. An empty chunk
   * closes stdin (nothing, under a terminal). Writes are applied in call order.
   *
   * @param data The bytes.
   * @returns `undefined`, or why the write failed.
   */
  writeStdin(data: Uint8Array): Promise<StdinFailure | undefined> {
    const result = this.#stdinQueue.then(() => this.#write(data));
    this.#stdinQueue = result;
    return result;
  }

  /**
   * Sends a signal to the command (not to its wrappers); unknown numbers are ignored.
   *
   * @param signal The Linux signal number.
   */
  async signal(signal: number): Promise<void> {
    const name = signalName(signal);
    if (!name) return;
    // SIGKILL cannot be trapped, so it ends the whole tree, whatever the wrappers look like.
    if (name === "SIGKILL") return await this.#killTree();
    const pid = await this.#findCommand();
    if (pid === undefined) return;
    try {
      Deno.kill(pid, name);
    } catch {
      // Already gone.
    }
  }

  /**
   * Resizes the command's terminal (nothing without a terminal or without `stty`).
   *
   * @param rows The rows.
   * @param cols The columns.
   */
  async resize(rows: number, cols: number): Promise<void> {
    if (!this.#tty || !this.#stty) return;
    const pid = await this.#findCommand();
    if (pid === undefined) return;
    try {
      // Through /proc: under a root view the terminal is in the sandbox's own /dev/pts.
      const terminal = `/proc/${pid}/fd/0`;
      if (!(await Deno.readLink(terminal)).startsWith("/dev/pts/")) return;
      await new Deno.Command(this.#stty, {
        args: ["-F", terminal, "rows", String(rows), "cols", String(cols)],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).output();
    } catch {
      // The terminal is gone.
    }
  }

  /**
   * Kills the command and everything it started (SIGKILL), then waits until it has ended.
   *
   * @returns A promise that resolves once the process has ended.
   */
  async kill(): Promise<void> {
    await this.#killTree();
    await this.ended;
  }

  async #killTree(): Promise<void> {
    if (this.#exited) return;
    for (const pid of await freezeTree(this.pid)) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }

  async #write(data: Uint8Array): Promise<StdinFailure | undefined> {
    if (data.length === 0) {
      if (this.#tty || this.#stdinClosed) return undefined;
      this.#stdinClosed = true;
      try {
        await this.#writer.close();
      } catch {
        // The command closed its end first: nothing to do.
      }
      return undefined;
    }
    if (this.#stdinClosed) {
      return { errno: ERRNO.EBADF!, errnoName: "EBADF", message: "stdin is closed" };
    }
    try {
      await this.#writer.write(data);
      return undefined;
    } catch (error) {
      return stdinError(error);
    }
  }

  async #run(pumps: Pump[], ownGroup: boolean): Promise<ProcessEnd> {
    const status = await this.#child.status;
    const exitedAt = performance.now();
    this.#exited = true;
    if (ownGroup) {
      try {
        Deno.kill(-this.pid, "SIGKILL"); // what the command left running in its group
      } catch {
        // Nothing left.
      }
    }
    // The output is complete at EOF. Only where the chain cannot end what the command left (no
    // pid namespace, no reaper) may an escaped child hold a pipe open: only then is the bound short.
    await drainPipes(pumps, exitedAt, this.#chain.endsAll ? STRAY_IDLE_MS : ESCAPED_IDLE_MS);
    this.#stdinClosed = true;
    await this.#stdinQueue;
    try {
      await this.#writer.abort();
    } catch {
      // Already closed.
    }
    const recorded = this.#chain.statusFile ? await readStatus(this.#chain.statusFile) : undefined;
    if (recorded) return recorded;
    return { code: status.signal ? -1 : status.code };
  }

  /** Finds the command's host pid by walking down the wrapper chain. */
  async #findCommand(): Promise<number | undefined> {
    if (this.#commandPid !== undefined) return this.#commandPid;
    for (let attempt = 0; attempt < 500 && !this.#exited; attempt++) {
      let pid: number | undefined = this.pid;
      for (let level = 0; level < this.#chain.depth && pid !== undefined; level++) {
        pid = (await childrenOf(pid))[0];
      }
      if (pid !== undefined) {
        this.#commandPid = pid;
        return pid;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return undefined;
  }
}

/** Reads one pipe into the sink, one chunk at a time. */
async function readStatus(file: string): Promise<ProcessEnd | undefined> {
  try {
    const execError = await readRemove(`${file}.exec`);
    if (execError?.startsWith("failed ")) {
      const errno = Number(execError.slice(7));
      return { failure: execFailure(errno) };
    }
    const text = await readRemove(file);
    if (text?.startsWith("signal ")) return { code: -1 };
    if (text?.startsWith("exit ")) return { code: Number(text.slice(5)) };
  } catch {
    // Unreadable: fall back to the wrapper's status.
  }
  return undefined;
}

async function readRemove(file: string): Promise<string | undefined> {
  try {
    const text = await Deno.readTextFile(file);
    await Deno.remove(file).catch(() => {});
    return text.trim();
  } catch {
    return undefined;
  }
}

function execFailure(errno: number): SpawnFailure {
  const name = Object.keys(ERRNO).find((key) => ERRNO[key] === errno) ?? null;
  const kind = errno === ERRNO.ENOENT
    ? "not_found"
    : errno === ERRNO.EACCES
    ? "permission_denied"
    : errno === ERRNO.ENOEXEC
    ? "not_executable"
    : "other";
  return failure(kind, errno, `execvp failed with errno ${errno}`, "execvp", name);
}

function buildEnv(
  entries: readonly string[],
  sandboxDir: string,
  rootView: boolean,
): Record<string, string> {
  const root = rootView ? "" : sandboxDir;
  const env: Record<string, string> = {
    PATH: rootView ? GUEST_PATH : hostPath(),
    HOME: rootView ? "/root" : sandboxDir,
  };
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  env.PATH = `${root}/.msb/scripts:${env.PATH}`;
  return env;
}
function rlimitArgs(
  rlimits: readonly ProcessRlimit[],
  prlimit: string | null,
): { args: string[] } | { failure: SpawnFailure } {
  const args: string[] = [];
  for (const { resource, soft, hard } of rlimits) {
    const stage = `setrlimit(RLIMIT_${resource.toUpperCase()})`;
    const lo = BigInt(soft);
    const hi = BigInt(hard);
    if (!RLIMITS.has(resource)) {
      return {
        failure: failure(
          "resource_limit",
          ERRNO.EINVAL!,
          `unknown resource limit ${JSON.stringify(resource)}`,
          stage,
        ),
      };
    }
    if (lo > hi || lo < 0n) {
      return {
        failure: failure(
          "resource_limit",
          ERRNO.EINVAL!,
          `resource limit ${resource}: soft (${lo}) must not exceed hard (${hi})`,
          stage,
        ),
      };
    }
    const text = (v: bigint): string => v >= RLIM_INFINITY ? "unlimited" : String(v);
    args.push(`--${resource}=${text(lo)}:${text(hi)}`);
  }
  if (args.length > 0 && !prlimit) {
    return {
      failure: failure(
        "resource_limit",
        null,
        "cannot apply resource limits: util-linux `prlimit` is not installed on the local cloud's host",
        "setrlimit",
      ),
    };
  }
  return { args };
}

function spawnError(error: unknown, cmd: string): SpawnFailure {
  const message = `cannot run ${JSON.stringify(cmd)}: ${(error as Error)?.message ?? error}`;
  if (error instanceof Deno.errors.NotFound) {
    return failure("not_found", ERRNO.ENOENT!, message, "execvp");
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return failure("permission_denied", ERRNO.EACCES!, message, "execvp");
  }
  return failure("other", null, message, "spawn");
}

function stdinError(error: unknown): StdinFailure {
  const message = `cannot write to stdin: ${(error as Error)?.message ?? error}`;
  if (error instanceof Deno.errors.BrokenPipe) {
    return { errno: ERRNO.EPIPE!, errnoName: "EPIPE", message };
  }
  if (error instanceof Deno.errors.BadResource || error instanceof TypeError) {
    return { errno: ERRNO.EBADF!, errnoName: "EBADF", message };
  }
  return { errno: null, errnoName: null, message };
}
