// Starts a snippet's server as a child process in its own process group, waits for the first
// `http://127.0.0.1:<port>` it prints (on stdout or stderr, as `deno serve` does), and kills the
// whole group when disposed.

/** A running server. */
export interface SnippetServer extends AsyncDisposable {
  /** Its origin, such as `http://127.0.0.1:41234`. */
  origin: string;
}

/** How long a server may take to say where it listens. */
const START_TIMEOUT_MS = 60_000;

/**
 * Starts `command args` (with the parent's environment and `env`) in `cwd`.
 *
 * @returns The server; dispose of it to kill it.
 * @throws {Error} When it exits, or prints no address in time, with its output.
 */
export async function startSnippetServer(
  label: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<SnippetServer> {
  const child = new Deno.Command("setsid", {
    args: [command, ...args],
    env,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  let found: (origin: string) => void = () => {};
  const origin = new Promise<string>((resolve) => found = resolve);
  const read = (stream: ReadableStream<Uint8Array>) =>
    stream.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({
        write(text) {
          output += text;
          const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
          if (match) found(match[0]);
        },
      }),
    ).catch(() => {});
  const drained = Promise.all([read(child.stdout), read(child.stderr)]);
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
    const first = await Promise.race([origin, failed.then((why) => ({ why }))]);
    if (typeof first !== "string") {
      throw new Error(`${label} ${first.why}\n--- output ---\n${output}`);
    }
    return { origin: first, [Symbol.asyncDispose]: kill };
  } catch (error) {
    await kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
