/**
 * The local cloud's process layer: runs one exec request as a real host process in the
 * sandbox's directory, the way agentd runs it in a guest. Spawn failures come back as agentd's
 * `ExecFailed` kinds; output is read only as fast as the consumer takes it; exit codes follow
 * agentd (−1 when a signal ended the command).
 *
 * The sandbox's `/` is its directory on the host: the working directory `"/"`, an absent one and
 * relative ones resolve inside it. Programs are host programs: a bare name is looked up on the
 * request's `PATH` (the host's when the request sets none), an absolute path is taken on the
 * host first and inside the sandbox directory second. `user` is not applied: every command runs
 * as the local cloud's own user (as root of its user namespace under `namespaces` isolation).
 *
 * How a command is wrapped (the command itself is always the last process of the chain):
 * - isolation `none`, no terminal: the command alone, in its own process group;
 * - isolation `none`, terminal: `script` → the reaper → the command;
 * - isolation `namespaces`: `unshare` → the reaper (pid 1) → the command, or `unshare` →
 *   `script` (pid 1) → the reaper → the command with a terminal.
 * The reaper ({@linkcode WAITER_SCRIPT}) records whether the command exited or was killed.
 *
 * @module
 */

import { type HostInfo, hostPath, UNSHARE_FLAGS, WAITER_SCRIPT } from "./_isolation.ts";
import { RLIMIT_RESOURCES } from "../models/sandbox_spec.ts";

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

/** Why a command could not start: the protocol's `ExecFailed`. */
export interface SpawnFailure {
  /** `not_found`, `permission_denied`, `not_executable`, `bad_cwd`, `resource_limit`, `pty_setup_failed` or `other`. */
  readonly kind: string;
  /** The errno, when one applies. */
  readonly errno: number | null;
  /** Its name, e.g. `ENOENT`. */
  readonly errnoName: string | null;
  /** What happened. */
  readonly message: string;
  /** The step that failed, e.g. `execvp`. */
  readonly stage: string | null;
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
export type OutputStream = "stdout" | "stderr";

/**
 * Takes one chunk of output (at most {@linkcode MAX_CHUNK} bytes). The pipe is not read again
 * until the returned promise settles, so a slow consumer slows the command down.
 */
export type OutputSink = (stream: OutputStream, data: Uint8Array) => Promise<void>;

/** How a command ended: its exit code (−1 when killed by a signal), or a late spawn failure. */
export type ProcessEnd = { readonly code: number } | { readonly failure: SpawnFailure };

/** Where a command runs. */
export interface ProcessPlace {
  /** The host directory that is the sandbox's `/`; it must exist. */
  readonly sandboxDir: string;
  /** An existing host directory for the reaper's status files. */
  readonly statusDir: string;
  /** The host's tools and isolation mode. */
  readonly host: HostInfo;
}

/** The largest chunk handed to the sink: output frames stay within 64 KiB of data. */
export const MAX_CHUNK = 64 * 1024;

/** After the command ends, how long a pipe may stay silent before it is abandoned (kept open by an escaped child). */
const DRAIN_IDLE_MS = 500;

const ERRNO: Readonly<Record<string, number>> = {
  ENOENT: 2,
  E2BIG: 7,
  ENOEXEC: 8,
  EBADF: 9,
  EACCES: 13,
  ENOTDIR: 20,
  EINVAL: 22,
  EPIPE: 32,
};

/** Linux signal numbers → Deno signal names. */
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
 * Maps a sandbox path to its host path: `null`, `""` and `/` are the sandbox directory;
 * relative paths are relative to `/`; `..` never leaves the sandbox directory.
 *
 * @param sandboxDir The sandbox directory on the host.
 * @param path The path in the sandbox.
 * @returns The host path.
 */
export function hostPathOf(sandboxDir: string, path: string | null): string {
  const parts: string[] = [];
  for (const part of (path ?? "").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.length === 0 ? sandboxDir : `${sandboxDir}/${parts.join("/")}`;
}

/**
 * Starts one command.
 *
 * @param request What to run.
 * @param place The sandbox directory, the status directory and the host's tools.
 * @param sink Takes the output; the pipes are read only as fast as it settles.
 * @returns The running process, or why it could not start.
 */
export async function spawnProcess(
  request: ProcessRequest,
  place: ProcessPlace,
  sink: OutputSink,
): Promise<{ process: RunningProcess } | { failure: SpawnFailure }> {
  const cwd = hostPathOf(place.sandboxDir, request.cwd);
  const cwdProblem = await checkCwd(cwd, request.cwd ?? "/");
  if (cwdProblem) return { failure: cwdProblem };
  const env = buildEnv(request.env, place.sandboxDir);
  const program = await resolveProgram(request.cmd, env.PATH ?? "", cwd, place.sandboxDir);
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
  const plan = planChain(request, program.path, limits.args, place);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(plan.exe, {
      args: plan.args,
      cwd,
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

/** How a command is wrapped. */
interface Chain {
  /** The program Deno spawns. */
  readonly exe: string;
  /** Its arguments. */
  readonly args: string[];
  /** How many forking wrappers sit above the command (0: the spawned process is the command). */
  readonly depth: number;
  /** The reaper's status file, when the reaper is in the chain. */
  readonly statusFile: string | null;
}

function planChain(
  request: ProcessRequest,
  program: string,
  limits: readonly string[],
  place: ProcessPlace,
): Chain {
  const { tools, isolation } = place.host;
  const namespaces = isolation === "namespaces";
  const useWaiter = tools.perl !== null && (namespaces || request.tty);
  const statusFile = useWaiter ? `${place.statusDir}/${crypto.randomUUID()}` : null;
  // Each step: the program to exec and its argv (argv[0] first). prlimit execs: no new process.
  let exe = program;
  let argv = [request.cmd, ...request.args];
  if (limits.length > 0) {
    argv = ["prlimit", ...limits, "--", program, ...request.args];
    exe = tools.prlimit!;
  }
  let depth = 0;
  const rows = request.tty ? request.rows : 0;
  const cols = request.tty ? request.cols : 0;
  if (statusFile) {
    argv = ["perl", "-e", WAITER_SCRIPT, "--", statusFile, `${rows}`, `${cols}`, exe, ...argv];
    exe = tools.perl!;
    depth += 1;
  }
  if (request.tty) {
    const command = `exec ${[exe, ...argv.slice(1)].map(shellQuote).join(" ")}`;
    const line = statusFile ? command : `stty rows ${rows} cols ${cols} 2>/dev/null; ${command}`;
    argv = ["script", "-qfec", line, "/dev/null"];
    exe = tools.script!;
    depth += 1;
  }
  if (namespaces) {
    argv = ["unshare", ...UNSHARE_FLAGS, "--", exe, ...argv.slice(1)];
    exe = tools.unshare!;
    depth += 1;
  }
  return { exe, args: argv.slice(1), depth, statusFile };
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
      const tty = await Deno.readLink(`/proc/${pid}/fd/0`);
      if (!tty.startsWith("/dev/pts/")) return;
      await new Deno.Command(this.#stty, {
        args: ["-F", tty, "rows", String(rows), "cols", String(cols)],
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
    const pids = [...(await descendants(this.pid)).reverse(), this.pid];
    for (const pid of pids) {
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
    await drain(pumps, exitedAt);
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
class Pump {
  readonly done: Promise<void>;
  /** Whether it is waiting for the pipe (not for the sink). */
  reading = false;
  lastData = performance.now();
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(stream: ReadableStream<Uint8Array>, name: OutputStream, sink: OutputSink) {
    this.#reader = stream.getReader();
    this.done = this.#run(name, sink);
  }

  cancel(): void {
    this.#reader.cancel().catch(() => {});
  }

  async #run(name: OutputStream, sink: OutputSink): Promise<void> {
    try {
      while (true) {
        this.reading = true;
        const { done, value } = await this.#reader.read();
        this.reading = false;
        if (done) break;
        this.lastData = performance.now();
        for (let at = 0; at < value.length; at += MAX_CHUNK) {
          await sink(name, value.subarray(at, at + MAX_CHUNK));
        }
      }
    } catch {
      // The pipe failed or the sink gave up: stop reading.
    } finally {
      this.reading = false;
      this.#reader.releaseLock();
    }
  }
}

/**
 * Waits for the pipes to end after the command exited; abandons one that stays silent (waiting
 * for data, not for the sink) for {@linkcode DRAIN_IDLE_MS} while something else holds it open.
 */
async function drain(pumps: Pump[], exitedAt: number): Promise<void> {
  const all = Promise.all(pumps.map((pump) => pump.done));
  let finished = false;
  all.then(() => finished = true);
  while (!finished) {
    const tick = new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.race([all, tick]);
    const now = performance.now();
    for (const pump of pumps) {
      const idle = now - Math.max(pump.lastData, exitedAt);
      if (pump.reading && idle > DRAIN_IDLE_MS) pump.cancel();
    }
  }
}

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

async function checkCwd(hostDir: string, shown: string): Promise<SpawnFailure | undefined> {
  try {
    const info = await Deno.stat(hostDir);
    if (info.isDirectory) return undefined;
    return failure(
      "bad_cwd",
      ERRNO.ENOTDIR!,
      `cannot change to working directory ${JSON.stringify(shown)}: Not a directory`,
      "chdir",
    );
  } catch (error) {
    const denied = error instanceof Deno.errors.PermissionDenied;
    return failure(
      "bad_cwd",
      denied ? ERRNO.EACCES! : ERRNO.ENOENT!,
      `cannot change to working directory ${JSON.stringify(shown)}: ${
        denied ? "Permission denied" : "No such file or directory"
      }`,
      "chdir",
    );
  }
}

function buildEnv(entries: readonly string[], sandboxDir: string): Record<string, string> {
  const env: Record<string, string> = { PATH: hostPath(), HOME: sandboxDir };
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  env.PATH = `${sandboxDir}/.msb/scripts:${env.PATH}`;
  return env;
}

/** Finds the program like `execvp` does and checks that it can run. */
async function resolveProgram(
  cmd: string,
  path: string,
  cwd: string,
  sandboxDir: string,
): Promise<{ path: string } | { failure: SpawnFailure }> {
  const notFound = (): { failure: SpawnFailure } => ({
    failure: failure(
      "not_found",
      ERRNO.ENOENT!,
      `cannot run ${JSON.stringify(cmd)}: No such file or directory`,
      "execvp",
    ),
  });
  if (cmd === "") return notFound();
  let candidates: string[];
  if (cmd.includes("/")) {
    candidates = cmd.startsWith("/") ? [cmd, hostPathOf(sandboxDir, cmd)] : [`${cwd}/${cmd}`];
  } else {
    candidates = path.split(":").map((dir) =>
      dir === "" ? `${cwd}/${cmd}` : dir.startsWith("/") ? `${dir}/${cmd}` : `${cwd}/${dir}/${cmd}`
    );
  }
  let denied: { failure: SpawnFailure } | undefined;
  for (const candidate of candidates) {
    const problem = await checkProgram(candidate, cmd);
    if (problem === "missing") continue;
    if (problem === undefined) return { path: candidate };
    if (problem.kind === "not_executable") return { failure: problem };
    denied ??= { failure: problem };
  }
  return denied ?? notFound();
}

async function checkProgram(
  file: string,
  cmd: string,
): Promise<SpawnFailure | "missing" | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(file);
  } catch {
    return "missing";
  }
  if (!info.isFile || ((info.mode ?? 0o755) & 0o111) === 0) {
    return failure(
      "permission_denied",
      ERRNO.EACCES!,
      `cannot run ${JSON.stringify(cmd)}: Permission denied`,
      "execvp",
    );
  }
  let head: Uint8Array;
  try {
    using handle = await Deno.open(file);
    const buffer = new Uint8Array(4);
    const n = await handle.read(buffer);
    head = buffer.subarray(0, n ?? 0);
  } catch {
    return undefined; // Executable but unreadable: let exec decide.
  }
  const shebang = head[0] === 0x23 && head[1] === 0x21;
  const elf = head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
  if (shebang || elf) return undefined;
  return failure(
    "not_executable",
    ERRNO.ENOEXEC!,
    `cannot run ${JSON.stringify(cmd)}: Exec format error`,
    "execvp",
  );
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

function failure(
  kind: string,
  errno: number | null,
  message: string,
  stage: string | null,
  errnoName?: string | null,
): SpawnFailure {
  const name = errnoName !== undefined
    ? errnoName
    : errno === null
    ? null
    : Object.keys(ERRNO).find((key) => ERRNO[key] === errno) ?? null;
  return { kind, errno, errnoName: name, message, stage };
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * Lists the children of a process (from `/proc`, which every Linux host has).
 *
 * @param pid The parent.
 * @returns The children's pids, lowest first.
 */
export async function childrenOf(pid: number): Promise<number[]> {
  try {
    // Direct and cheap where the kernel offers it; a scan of all of /proc otherwise.
    const text = await Deno.readTextFile(`/proc/${pid}/task/${pid}/children`);
    return text.trim().split(/\s+/).filter(Boolean).map(Number).sort((a, b) => a - b);
  } catch {
    return (await processTable()).get(pid) ?? [];
  }
}

/**
 * Lists every process below one, at any depth.
 *
 * @param pid The ancestor.
 * @returns The descendants' pids.
 */
export async function descendants(pid: number): Promise<number[]> {
  const table = await processTable();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of table.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

async function processTable(): Promise<Map<number, number[]>> {
  const table = new Map<number, number[]>();
  try {
    for await (const entry of Deno.readDir("/proc")) {
      if (!/^\d+$/.test(entry.name)) continue;
      let stat: string;
      try {
        stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      } catch {
        continue; // Ended meanwhile.
      }
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const parent = Number(fields[1]);
      const list = table.get(parent) ?? [];
      list.push(Number(entry.name));
      table.set(parent, list);
    }
  } catch {
    // No /proc: no children known.
  }
  for (const list of table.values()) list.sort((a, b) => a - b);
  return table;
}
