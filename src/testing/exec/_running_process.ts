/**
 * A command that started: its output pumped to the sink until both pipes reach EOF, its stdin,
 * signals and terminal size, and its end (exit codes follow agentd: −1 when a signal ended it).
 * When the command ends, everything it started ends with it.
 *
 * @module
 */

import type { Chain } from "./_exec_chain.ts";
import { type ProcessEnd, readStatus } from "./_exit_status.ts";
import {
  drainPipes,
  ESCAPED_IDLE_MS,
  type OutputSink,
  type OutputStream,
  Pump,
  STRAY_IDLE_MS,
} from "./_output_pump.ts";
import type { ProcessPlace, ProcessRequest } from "./_process_request.ts";
import { childrenOf, freezeTree } from "./_process_table.ts";
import { signalName } from "./_signals.ts";
import { type StdinFailure, StdinPipe } from "./_stdin_pipe.ts";

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
  readonly #stdin: StdinPipe;
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
    this.#stdin = new StdinPipe(child.stdin, request.tty);
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
    return this.#stdin.write(data);
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
    await this.#stdin.end();
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
