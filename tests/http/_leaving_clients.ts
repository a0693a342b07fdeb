// Browsers that leave a log stream, and the log server of _log_server_main.ts run as a child
// process (Deno or Bun) that must exit by itself once they have left and it stops serving.
import assert from "node:assert/strict";
import type { Sandbox } from "../../mod.ts";
import type { LocalCloud } from "../../src/testing/mod.ts";
import { assertLogsReleased, logRequests, until } from "./_released.ts";

/** How long a stopped server may take to exit: a last guard, not a measure. */
const EXIT_GUARD_MS = 20_000;

/** What prints while the clients read: a line every 10 ms, until killed. */
export const PRINTER = ["sh", ["-c", "while :; do echo tick; sleep 0.01; done"]] as const;

/** Starts the printer in `sandbox`, its output drained so it keeps printing. */
export async function startPrinter(sandbox: Sandbox): Promise<AsyncDisposable> {
  const printer = await sandbox.spawn(...PRINTER);
  printer.exited.catch(() => {});
  return printer;
}

/**
 * Opens `count` SSE clients of `url` at once, waits until each has a log event and the cloud
 * serves one upstream log stream per client, then has them all leave together and checks that
 * the cloud ends every stream and gets no further log request.
 */
export async function clientsLeave(cloud: LocalCloud, url: string, count: number): Promise<void> {
  const before = logRequests(cloud);
  const readers = await Promise.all(Array.from({ length: count }, () => firstLogEvent(url)));
  await until(() => cloud.liveLogStreams() === count, `${count} upstream log streams are open`);
  assert.equal(logRequests(cloud), before + count);
  await Promise.all(readers.map((reader) => reader.cancel()));
  await assertLogsReleased(cloud, before + count);
}

/** Reads `url` as a browser would until a whole log event has arrived. */
async function firstLogEvent(url: string): Promise<ReadableStreamDefaultReader<string>> {
  const response = await fetch(url, { headers: { accept: "text/event-stream" } });
  assert.equal(response.status, 200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/event: log\ndata: .*\n\n/.test(text)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the log stream ended early: ${text}`);
    text += value;
  }
  return reader;
}

/** A log server in its own process group. */
export interface LogServer extends AsyncDisposable {
  /** Its origin, such as `http://127.0.0.1:41234`. */
  readonly origin: string;
  /** Asks it to stop serving, then waits until it exits by itself (fails after a guard). */
  stopAndExit(): Promise<void>;
}

/**
 * Starts _log_server_main.ts under `command args` for `sandbox` of `cloud`.
 *
 * @param command The runtime's executable.
 * @param args Its arguments (the entry file among them).
 */
export async function startLogServer(
  cloud: LocalCloud,
  sandbox: string,
  command: string,
  args: string[],
): Promise<LogServer> {
  const child = new Deno.Command("setsid", {
    args: [command, ...args],
    cwd: new URL("../../", import.meta.url),
    env: { MSB_API_URL: cloud.url, MSB_API_KEY: cloud.apiKey, SANDBOX: sandbox },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const kill = () => {
    try {
      Deno.kill(-child.pid, "SIGKILL");
    } catch {
      // Gone already.
    }
  };
  const stderr = new Response(child.stderr).text();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  const next = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (;;) {
      const match = pattern.exec(stdout);
      if (match) return match;
      const { done, value } = await lines.read();
      if (done) {
        throw new Error(`${command} ended before printing ${pattern}:\n${stdout}\n${await stderr}`);
      }
      stdout += value;
    }
  };
  try {
    const [, origin] = await next(/^open (http:\/\/127\.0\.0\.1:\d+)$/m);
    return {
      origin: origin!,
      async stopAndExit() {
        const answer = await fetch(`${origin}/stop`, { method: "POST" });
        assert.equal(await answer.text(), "stopping\n");
        await next(/^stopped$/m);
        const guard = setTimeout(kill, EXIT_GUARD_MS);
        const status = await child.status;
        clearTimeout(guard);
        assert.ok(
          status.success,
          `${command} did not exit within ${EXIT_GUARD_MS} ms of stopping (killed: ` +
            `${status.signal}): a timer, request or socket kept it alive\n${await stderr}`,
        );
      },
      async [Symbol.asyncDispose]() {
        kill();
        await child.status;
        await lines.cancel().catch(() => {});
        await stderr;
      },
    };
  } catch (error) {
    kill();
    await child.status;
    throw error;
  }
}
