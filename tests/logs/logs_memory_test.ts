import assert from "node:assert/strict";
import { setup } from "../_cloud.ts";
import { liveLogStreams } from "../../src/testing/logs/_logs_stream.ts";

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const LINE = `${"0123456789abcdef".repeat(4).slice(0, 63)}\n`;
/** The reader pauses after every 256 MiB of text, for 800 ms. */
const EVERY = 256 * MIB;
const PAUSE_MS = 800;
/** How far the command may run ahead of the reader: the cloud's 64 MiB history, plus buffers. */
const AHEAD = 96 * MIB;
/** The reader's V8 heap cap: a reader that buffered the log would run out of it. */
const HEAP_MIB = 96;

Deno.test("A slow log reader keeps memory bounded while 1 GiB of log text flows, losing nothing", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "firehose", image: "alpine" });
  const reader = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-net",
      `--v8-flags=--max-old-space-size=${HEAP_MIB}`,
      new URL("./_slow_consumer.ts", import.meta.url).pathname,
      env.cloud.url,
      env.cloud.apiKey,
      sandbox.name,
      LINE,
      String(EVERY),
      String(PAUSE_MS),
    ],
    stdout: "piped",
  }).spawn();
  // The command starts once the reader follows the log, so no entry is written before that.
  while (liveLogStreams() === 0) await new Promise((resolve) => setTimeout(resolve, 10));

  const command = await sandbox.spawn("sh", ["-c", `yes '${LINE.trimEnd()}' | head -c ${GIB}`]);
  let produced = 0;
  const producing = (async () => {
    for await (const chunk of command.stdout) produced += chunk.length;
    await command.exited;
    await sandbox.stop();
  })();

  const ahead: number[] = [];
  let done = "";
  for await (const line of lines(reader.stdout)) {
    const [word, bytes] = line.split(" ");
    if (word === "pause") {
      // Half-way through the pause the command must be held back, not still writing.
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS / 2));
      ahead.push(produced - Number(bytes));
    } else if (word === "done") {
      done = line;
    }
  }
  assert.equal((await reader.status).code, 0, "the reader failed (out of memory?)");
  await producing;

  const [, read, entries, peakRss] = done.split(" ").map(Number);
  // A reconnection leaves a moment without a follower, when the history may drop what it has not
  // sent: say how many log requests the reader made, to tell such a loss from another.
  const logRequests = env.cloud.requests.filter((r) => /^\/v1\/sandboxes\/[^/]+\/logs/.test(r.url));
  assert.equal(read, GIB, `the reader got every byte once (${logRequests.length} log requests)`);
  assert.ok(entries! > 0);
  assert.equal(produced, GIB);
  assert.equal(ahead.length, GIB / EVERY); // the last pause comes with the last byte
  for (const bytes of ahead) {
    assert.ok(bytes <= AHEAD, `the command ran ${bytes} bytes ahead of a paused reader`);
  }
  assert.ok(peakRss! < 384 * MIB, `the reader's RSS peaked at ${peakRss} bytes`);
});

/** The lines a process prints. */
async function* lines(stdout: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let pending = "";
  for await (const text of stdout.pipeThrough(new TextDecoderStream())) {
    const parts = (pending + text).split("\n");
    pending = parts.pop()!;
    yield* parts;
  }
}
