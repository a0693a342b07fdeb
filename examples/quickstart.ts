// The lifecycle of two sandboxes, on msb-cloud when MSB_API_KEY is set, else on a local cloud that
// this script starts and stops itself. Run it with `deno task demo`.
import {
  Microsandbox,
  resumeCursor,
  type Sandbox,
  SseDecoderStream,
  toSseResponse,
} from "@microsandbox/edge";
import { type LocalCloud, startLocalCloud } from "@microsandbox/edge/testing";

const say = (line: string) => console.log(`  ${line}`);
const suffix = crypto.randomUUID().slice(0, 6);
const created: Sandbox[] = [];
let cloud: LocalCloud | undefined;

/** Removes what the demo made, also when it is interrupted. */
async function cleanUp(): Promise<void> {
  for (const sandbox of created.splice(0)) {
    await sandbox.remove().catch(() => {});
    say(`removed ${sandbox.name}`);
  }
  await cloud?.close();
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    say(`${signal}: cleaning up`);
    await cleanUp();
    Deno.exit(130);
  });
}

async function connect(): Promise<Microsandbox> {
  if (Deno.env.get("MSB_API_KEY")) {
    const msb = Microsandbox.fromEnv();
    say(`msb-cloud at ${msb.url}`);
    return msb;
  }
  cloud = await startLocalCloud();
  say(`local cloud at ${cloud.url} (set MSB_API_KEY to use msb-cloud instead)`);
  return new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
}

/**
 * Follows the sandbox's log while a command runs, serves it through `toSseResponse` on a local
 * HTTP server, and reads it back with `fetch`, as a browser or an edge app would.
 */
async function tailLogs(sandbox: Sandbox): Promise<void> {
  say("tail the sandbox's log through toSseResponse while a command runs:");
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) =>
      toSseResponse(
        sandbox.logs({ sources: ["stdout", "stderr"], cursor: resumeCursor(request) }),
        {
          signal: request.signal,
        },
      ),
  );
  const response = await fetch(`http://127.0.0.1:${server.addr.port}/logs`);
  const events = response.body!.pipeThrough(new SseDecoderStream()).getReader();
  const command = sandbox.shell('for i in 1 2 3; do echo "log line $i"; sleep 0.2; done');
  let seen = 0;
  while (seen < 3) {
    const { value } = await events.read();
    if (!value) break;
    const { source, text } = JSON.parse(value.data);
    if (!String(text).startsWith("log line")) continue;
    say(`  ${source} │ ${String(text).trim()}  (id ${value.id?.slice(0, 12)}…)`);
    seen++;
  }
  await events.cancel();
  await command;
  await server.shutdown();
}

/**
 * Writes a small program into the sandbox with `fs.writeFile`, runs it, and reads the file it
 * wrote back with `fs.text`.
 */
async function runProgram(sandbox: Sandbox): Promise<void> {
  const program =
    'n=0; for w in $(cat /app/words.txt); do n=$((n + 1)); done; echo "$n words" > /app/count.txt\n';
  await sandbox.fs.mkdir("/app", { recursive: true });
  await sandbox.fs.writeFile("/app/words.txt", "files go in and out as web streams\n");
  await sandbox.fs.writeFile("/app/count.sh", program);
  say(`fs.writeFile /app/count.sh and /app/words.txt into ${sandbox.name}`);
  const run = await sandbox.exec("sh", ["/app/count.sh"]);
  say(`exec sh /app/count.sh → exit ${run.code}`);
  const entries = await sandbox.fs.list("/app");
  say(`fs.list /app → ${entries.map((e) => `${e.path.slice(5)} (${e.size} B)`).join(", ")}`);
  say(`fs.text /app/count.txt → ${JSON.stringify(await sandbox.fs.text("/app/count.txt"))}`);
}

async function timed<T>(
  what: string,
  run: () => Promise<T>,
  show: (value: T) => string,
): Promise<T> {
  const started = performance.now();
  const value = await run();
  say(`${what} → ${show(value)} (${Math.round(performance.now() - started)} ms)`);
  return value;
}

try {
  console.log(
    "microsandbox edge: the sandbox lifecycle, a command, a live process, its logs and files",
  );
  const msb = await connect();
  const web = await timed(
    `create demo-web-${suffix} (python, started)`,
    () =>
      msb.sandboxes.create({
        name: `demo-web-${suffix}`,
        image: "python",
        labels: { demo: suffix },
      }),
    (s) => s.status,
  );
  created.push(web);
  const job = await timed(
    `create demo-job-${suffix} (alpine, not started)`,
    () =>
      msb.sandboxes.create({
        name: `demo-job-${suffix}`,
        image: "alpine",
        labels: { demo: suffix },
      }, { start: false }),
    (s) => s.status,
  );
  created.push(job);
  await timed(`start ${job.name}`, () => job.start(), (s) => s.status);
  const hello = await web.exec("echo", ["hello from", web.name]);
  say(`exec echo → exit ${hello.code}, stdout ${JSON.stringify(hello.stdoutText())}`);
  say("spawn a live process; its output streams as it comes:");
  const live = await web.spawn("sh", ["-c", 'for i in 1 2 3; do echo "tick $i"; sleep 0.3; done']);
  await live.stdin.close();
  await live.stderr.cancel();
  for await (const chunk of live.stdout.pipeThrough(new TextDecoderStream())) {
    for (const line of chunk.split("\n").filter(Boolean)) say(`  │ ${line}`);
  }
  say(`live process ${live.pid} → ${JSON.stringify(await live.exited)}`);
  await tailLogs(web);
  await runProgram(job);
  const page = await msb.sandboxes.list({ labels: { demo: suffix } });
  say(`list → ${page.sandboxes.map((s) => `${s.name} ${s.status}`).join(", ")}`);
  await timed(`stop ${web.name}`, () => web.stop(), (s) => s.status);
  await timed(`refresh ${web.name}`, () => web.refresh(), (s) => s.status);
  await cleanUp();
  console.log("done: every sandbox the demo made is removed");
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? error.message : error}`);
  await cleanUp();
  Deno.exitCode = 1;
}
