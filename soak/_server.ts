// Starts the server under soak (_server_main.ts) as a child process and reads its reports: its
// address, its memory every second, and any untyped failure.

import type { Failures } from "./_failures.ts";
import type { MemorySample } from "./_memory.ts";

/** The running child. */
export interface SoakServer extends AsyncDisposable {
  url: string;
  pid: number;
  memory: MemorySample[];
  /** The failures the server answered with a 5xx status, by kind and message, as last reported. */
  errors(): Record<string, number>;
  /** The exit code, once the child has exited (it should not, before it is disposed of). */
  exited(): number | undefined;
  /** The server's stderr so far, for the report when it dies. */
  stderr(): string;
}

const MAIN = new URL("./_server_main.ts", import.meta.url).pathname;

/** Starts the child; `t0` is the `performance.now()` the memory samples count from. */
export async function startSoakServer(
  env: Record<string, string>,
  failures: Failures,
  t0: number,
): Promise<SoakServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--unstable-net", "-A", MAIN],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const memory: MemorySample[] = [];
  let errors: Record<string, number> = {};
  let stderr = "";
  const listening = Promise.withResolvers<string>();
  const lines = async () => {
    let tail = "";
    for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
      const parts = (tail + text).split("\n");
      tail = parts.pop()!;
      for (const part of parts) {
        const line = JSON.parse(part);
        if (line.listening) listening.resolve(line.listening);
        if (line.errors) errors = line.errors;
        if (line.memory) memory.push({ at: (performance.now() - t0) / 1000, ...line.memory });
        if (line.untyped) failures.add("untyped_error", `server: ${line.untyped}`);
      }
    }
  };
  const stderrLines = async () => {
    for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderr = (stderr + text).slice(-20_000);
    }
  };
  const read = Promise.all([lines(), stderrLines()]).catch(() => {});
  let exitCode: number | undefined;
  child.status.then((status) => exitCode = status.code);
  child.status.then((status) =>
    listening.reject(new Error(`the server exited (${status.code}): ${stderr}`))
  );
  const url = await listening.promise;
  return {
    url,
    pid: child.pid,
    memory,
    exited: () => exitCode,
    errors: () => errors,
    stderr: () => stderr,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
      await child.status;
      await read;
    },
  };
}
