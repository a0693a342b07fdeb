// Starts an example server as a child process in its own process group and waits for the URL its
// banner prints (`open http://127.0.0.1:<port>/…`); closing it kills the whole group.

/** A running server. */
export interface RunningServer extends AsyncDisposable {
  /** Its origin, such as `http://127.0.0.1:41234`. */
  origin: string;
}

/** How long a server may take to print its banner. */
const START_TIMEOUT_MS = 60_000;

/**
 * Starts `command args` with `env` and waits for its banner.
 *
 * @param label What it is, for messages.
 * @param command The executable.
 * @param args Its arguments.
 * @param env Its environment (nothing else is inherited but PATH and HOME).
 * @returns The server; dispose of it to kill it.
 * @throws {Error} When it exits or prints no banner in time, with its output.
 */
export async function startServer(
  label: string,
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<RunningServer> {
  const child = new Deno.Command("setsid", {
    args: [command, ...args],
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const kill = async () => {
    try {
      Deno.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
    await child.status;
  };
  const timer = setTimeout(() => kill(), START_TIMEOUT_MS);
  try {
    const origin = await bannerOrigin(child.stdout);
    if (origin === undefined) {
      throw new Error(`${label} printed no banner\n--- stderr ---\n${await stderr}`);
    }
    return { origin, [Symbol.asyncDispose]: kill };
  } catch (error) {
    await kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Reads `stdout` until a line `open http://…` and keeps draining it afterwards. */
async function bannerOrigin(stdout: ReadableStream<Uint8Array>): Promise<string | undefined> {
  const reader = stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return undefined;
    text += value;
    const match = /^open (http:\/\/127\.0\.0\.1:\d+)/m.exec(text);
    if (match) {
      drain(reader);
      return match[1];
    }
  }
}

function drain(reader: ReadableStreamDefaultReader<string>): void {
  reader.read().then(({ done }) => done ? undefined : drain(reader), () => {});
}
