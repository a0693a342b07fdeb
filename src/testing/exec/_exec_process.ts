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
 * `_exec_chain.ts`; what it does once started is `_running_process.ts`.
 *
 * @module
 */

import { type Chain, planChain } from "./_exec_chain.ts";
import { buildEnv } from "./_command_env.ts";
import { checkCwd, type CommandView, commandView, resolveProgram } from "./_exec_program.ts";
import type { OutputSink } from "./_output_pump.ts";
import type { ProcessPlace, ProcessRequest } from "./_process_request.ts";
import { rlimitArgs } from "./_rlimits.ts";
import { RunningProcess } from "./_running_process.ts";
import { ERRNO, failure, type SpawnFailure } from "./_spawn_failure.ts";
import { locateGuestPath } from "../sandbox_dir/_guest_paths.ts";

/** The reaper's status files, inside the sandbox folder. */
const STATUS_DIR = "/.msb/run";

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
  if (place.mounts.length > 0 && !rootView) {
    const message = `cannot show the sandbox its mounted volumes under isolation ` +
      `"${place.host.isolation}": the local cloud mounts volumes with bubblewrap only`;
    return { failure: failure("other", null, message, "mount") };
  }
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
      mounts: place.mounts,
      statusFile: onHost,
      statusFileInside: place.host.isolation === "bubblewrap" ? status : onHost,
      host: place.host,
      enter: place.enter ?? null,
    },
  );
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
