// Starts a server as a child process in its own process group, waits until it prints where it
// listens (on stdout or stderr: an example's banner `open http://127.0.0.1:<port>/…`, or what
// `deno serve` prints), and kills the whole group when disposed.

/** A server to start. */
export interface ServerStart {
  /** What it is, for messages, such as `bun`. */
  label: string;
  /** The executable. */
  command: string;
  /** Its arguments. */
  args: string[];
  /** Its whole environment: nothing else is inherited. */
  env: Record<string, string>;
  /** Its working directory. */
  cwd?: string;
  /** What it prints once it listens, with its origin (`http://127.0.0.1:<port>`) as group 1. */
  listening: RegExp;
}

/** A running server. */
export interface RunningServer extends AsyncDisposable {
  /** Its origin, such as `http://127.0.0.1:41234`. */
  origin: string;
  /** Its process id (`setsid` runs the command in its own place, so this is the server's). */
  pid: number;
}

/** How long a server may take to say where it listens. */
const START_TIMEOUT_MS = 60_000;

/**
 * Starts the server and waits until it prints where it listens.
 *
 * @param start The process, and what it prints once it listens.
 * @returns The server; dispose of it to kill it.
 * @throws {Error} When it exits, or prints no address in time, with its output.
 */
export async function startServer(start: ServerStart): Promise<RunningServer> {
  const child = new Deno.Command("setsid", {
    args: [start.command, ...start.args],
    env: start.env,
    clearEnv: true,
    ...(start.cwd ? { cwd: start.cwd } : {}),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = { stdout: "", stderr: "" };
  const listening = Promise.withResolvers<string>();
  const read = async (name: keyof typeof output) => {
    for await (const text of child[name].pipeThrough(new TextDecoderStream())) {
      output[name] += text;
      const match = start.listening.exec(output[name]);
      if (match) listening.resolve(match[1]!);
    }
  };
  const drained = Promise.all([read("stdout"), read("stderr")]).catch(() => {});
  const kill = async () => {
    try {
      Deno.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
    await child.status;
    await drained;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failed = Promise.race([
    child.status.then((status) => `exited with code ${status.code}`),
    new Promise<string>((resolve) => {
      timer = setTimeout(
        () => resolve(`printed no address in ${START_TIMEOUT_MS} ms`),
        START_TIMEOUT_MS,
      );
    }),
  ]);
  try {
    const first = await Promise.race([listening.promise, failed.then((why) => ({ why }))]);
    if (typeof first !== "string") {
      throw new Error(
        `${start.label} ${first.why}\n--- stderr ---\n${output.stderr}\n--- stdout ---\n${output.stdout}`,
      );
    }
    return { origin: first, pid: child.pid, [Symbol.asyncDispose]: kill };
  } catch (error) {
    await kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
