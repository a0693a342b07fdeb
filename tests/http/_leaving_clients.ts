// Browsers that leave a log stream, a streamed exec or a WebSocket bridge while a command prints,
// and the server of _stream_server_main.ts run as a child process (Deno or Bun) that must exit by
// itself once they have left and it stops serving.
import assert from "node:assert/strict";
import type { Sandbox } from "../../mod.ts";
import type { LocalCloud } from "../../src/testing/mod.ts";
import { setup } from "../_cloud.ts";
import { assertExecReleased, assertLogsReleased, logRequests, until } from "./_released.ts";

/** How long a stopped server may take to exit: a last guard, not a measure. */
const EXIT_GUARD_MS = 20_000;

/** What prints while the clients read: a line every 10 ms, until killed. */
export const PRINTER = ["sh", ["-c", "while :; do echo tick; sleep 0.01; done"]] as const;

/** How a streamed exec answers: its `Accept`. */
export const ACCEPT = { ndjson: "application/x-ndjson", sse: "text/event-stream" } as const;

/** Starts the printer in `sandbox`, its output drained so it keeps printing. */
export async function startPrinter(sandbox: Sandbox): Promise<AsyncDisposable> {
  const printer = await sandbox.spawn(...PRINTER);
  printer.exited.catch(() => {});
  return printer;
}

/** What a client waits for before it leaves: a whole log entry of the response's format. */
const FIRST_ENTRY = { sse: /event: log\ndata: .*\n\n/, ndjson: /^\{"source":.*\}\n/m } as const;

/**
 * Opens `count` clients of a log response at `url` at once (`toSseResponse` or
 * `toNdjsonResponse`, as `format` says), waits until each has a log entry and the cloud serves one
 * upstream log stream per client, then has them all leave together and checks that the cloud ends
 * every stream and gets no further log request. `headers` go with each request.
 */
export async function clientsLeave(
  cloud: LocalCloud,
  url: string,
  count: number,
  format: keyof typeof ACCEPT = "sse",
  headers: Record<string, string> = {},
): Promise<void> {
  const before = logRequests(cloud);
  const readers = await Promise.all(Array.from({ length: count }, async () => {
    const response = await fetch(url, { headers: { ...headers, accept: ACCEPT[format] } });
    assert.equal(response.status, 200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await readUntil(reader, FIRST_ENTRY[format]);
    return reader;
  }));
  await until(() => cloud.liveLogStreams() === count, `${count} upstream log streams are open`);
  assert.equal(logRequests(cloud), before + count);
  await Promise.all(readers.map((reader) => reader.cancel()));
  await assertLogsReleased(cloud, before + count);
}

/**
 * Starts one streamed exec of the printer per entry of `formats` through the adapter's
 * `POST {sandboxUrl}/exec`, waits until each has sent output and the cloud runs them all, then
 * has every client leave together and checks that the cloud ends every process and exec socket.
 */
export async function execStreamsLeave(
  cloud: LocalCloud,
  sandboxUrl: string,
  headers: Record<string, string>,
  formats: readonly (keyof typeof ACCEPT)[],
): Promise<void> {
  const [cmd, args] = PRINTER;
  const readers = await Promise.all(formats.map(async (format) => {
    const response = await fetch(`${sandboxUrl}/exec`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", accept: ACCEPT[format] },
      body: JSON.stringify({ cmd, args }),
    });
    assert.equal(response.status, 200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await readUntil(reader, '"type":"stdout"');
    return reader;
  }));
  await until(() => cloud.processes().length === formats.length, "every command runs");
  await Promise.all(readers.map((reader) => reader.cancel()));
  await assertExecReleased(cloud, cmd);
}

/**
 * Opens `count` WebSocket bridges to the printer at `{sandboxUrl}/ws`, waits until each has sent
 * output and the cloud runs them all, then closes every socket together and checks that the
 * cloud ends every process and exec socket.
 */
export async function webSocketsLeave(
  cloud: LocalCloud,
  sandboxUrl: string,
  headers: Record<string, string>,
  count: number,
): Promise<void> {
  const [cmd, args] = PRINTER;
  const query = new URLSearchParams([["cmd", cmd], ...args.map((arg) => ["arg", arg])]);
  const url = `${sandboxUrl.replace(/^http/, "ws")}/ws?${query}`;
  const sockets = await Promise.all(Array.from({ length: count }, () => printing(url, headers)));
  await until(() => cloud.processes().length === count, "every command runs");
  const closed = sockets.map((socket) => new Promise((resolve) => socket.onclose = resolve));
  for (const socket of sockets) socket.close();
  await Promise.all(closed);
  await assertExecReleased(cloud, cmd);
}

/** Opens a bridge and waits for the command's first output (a binary message). */
function printing(url: string, headers: Record<string, string>): Promise<WebSocket> {
  const socket = new WebSocket(url, { headers });
  socket.binaryType = "arraybuffer";
  return new Promise((resolve, reject) => {
    socket.onmessage = (event) => {
      if (typeof event.data !== "string") resolve(socket);
    };
    socket.onerror = () => reject(new Error(`the bridge at ${url} failed`));
    socket.onclose = (event) => reject(new Error(`the bridge closed early (${event.code})`));
  });
}

/** Reads until the text read holds `needle`. */
async function readUntil(reader: ReadableStreamDefaultReader<string>, needle: string | RegExp) {
  let text = "";
  while (typeof needle === "string" ? !text.includes(needle) : !needle.test(text)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the stream ended early: ${text}`);
    text += value;
  }
}

/** A stream server in its own process group. */
export interface StreamServer extends AsyncDisposable {
  /** Its origin, such as `http://127.0.0.1:41234`. */
  readonly origin: string;
  /** Asks it to stop serving, then waits until it exits by itself (fails after a guard). */
  stopAndExit(): Promise<void>;
}

/**
 * Starts _stream_server_main.ts under `command args` for `sandbox` of `cloud`.
 *
 * @param command The runtime's executable.
 * @param args Its arguments (the entry file among them).
 */
export async function startStreamServer(
  cloud: LocalCloud,
  sandbox: string,
  command: string,
  args: string[],
): Promise<StreamServer> {
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

/**
 * Serves `toSseResponse(sandbox.logs())` from _stream_server_main.ts under `command args` while a
 * command prints, has `count` clients leave together (see {@link clientsLeave}), and checks that
 * the server exits by itself once it stops serving.
 */
export async function logClientsLeaveServer(
  command: string,
  args: string[],
  count: number,
): Promise<void> {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "printer", image: "alpine" });
  await using _printer = await startPrinter(sandbox);
  await using server = await startStreamServer(env.cloud, sandbox.name, command, args);
  await clientsLeave(env.cloud, `${server.origin}/logs`, count);
  await server.stopAndExit();
}

/**
 * Serves the Hono adapter's sandbox routes from _stream_server_main.ts under `command args`, has
 * its streamed-exec, WebSocket and then log clients (SSE and NDJSON) leave, and checks that the
 * server exits by itself once it stops serving.
 */
export async function adapterClientsLeaveServer(command: string, args: string[]): Promise<void> {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "printer", image: "alpine" });
  await using server = await startStreamServer(env.cloud, sandbox.name, command, args);
  const routes = `${server.origin}/api/sandboxes/${sandbox.name}`;
  const headers = { authorization: "Bearer browser" };
  await execStreamsLeave(env.cloud, routes, headers, ["ndjson", "sse", "ndjson", "sse"]);
  await webSocketsLeave(env.cloud, routes, headers, 4);
  await using _printer = await startPrinter(sandbox);
  await clientsLeave(env.cloud, `${routes}/logs`, 10, "sse", headers);
  await clientsLeave(env.cloud, `${routes}/logs`, 10, "ndjson", headers);
  await server.stopAndExit();
}
