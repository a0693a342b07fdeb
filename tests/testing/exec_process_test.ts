// The local cloud's process layer on its own: real processes, spawn failures, signals, stdin,
// terminals and backpressure, under every isolation mode this host offers.
import assert from "node:assert/strict";
import { ExecHost } from "../../src/testing/exec/_exec_host.ts";
import type { ProcessEnd } from "../../src/testing/exec/_exit_status.ts";
import type { OutputStream } from "../../src/testing/exec/_output_pump.ts";
import type { ProcessRequest } from "../../src/testing/exec/_process_request.ts";
import type { RunningProcess } from "../../src/testing/exec/_running_process.ts";
import type { SpawnFailure } from "../../src/testing/exec/_spawn_failure.ts";
import { chooseIsolation, type HostInfo, probeHost } from "../../src/testing/exec/_isolation.ts";
import { ensureBubblewrap } from "../_debian_package.ts";
import { execRequest } from "./_exec_client.ts";

await ensureBubblewrap();
const detected = await probeHost();
/** Every mode this host offers, best first. */
const MODES: HostInfo[] = [];
for (const mode of ["bubblewrap", "namespaces", "none"] as const) {
  const host = await chooseIsolation(mode);
  if (!("refused" in host)) MODES.push(host);
}

/** One request, filled as the SDK fills it. */
const request = execRequest;

interface Outcome {
  stdout: string;
  stderr: string;
  end: ProcessEnd;
}

class Run {
  constructor(
    readonly process: RunningProcess,
    readonly chunks: Record<OutputStream, Uint8Array[]>,
  ) {}
  text(stream: OutputStream): string {
    const decoder = new TextDecoder();
    return this.chunks[stream].map((c) => decoder.decode(c, { stream: true })).join("");
  }
  async outcome(): Promise<Outcome> {
    const end = await this.process.ended;
    return { stdout: this.text("stdout"), stderr: this.text("stderr"), end };
  }
}

async function start(
  exec: ExecHost,
  req: ProcessRequest,
  sink?: (stream: OutputStream, data: Uint8Array) => Promise<void>,
): Promise<Run | SpawnFailure> {
  const chunks: Record<OutputStream, Uint8Array[]> = { stdout: [], stderr: [] };
  const result = await exec.spawn("sb", req, async (stream, data) => {
    chunks[stream].push(data.slice());
    if (sink) await sink(stream, data);
  });
  if ("failure" in result) return result.failure;
  return new Run(result.process, chunks);
}

async function started(exec: ExecHost, req: ProcessRequest): Promise<Run> {
  const run = await start(exec, req);
  assert.ok(run instanceof Run, `spawn failed: ${JSON.stringify(run)}`);
  return run;
}

async function outcome(exec: ExecHost, req: ProcessRequest): Promise<Outcome> {
  return await (await started(exec, req)).outcome();
}

async function failureOf(exec: ExecHost, req: ProcessRequest): Promise<SpawnFailure> {
  const run = await start(exec, req);
  assert.ok(!(run instanceof Run), "expected a spawn failure");
  return run;
}

function modeTest(name: string, fn: (exec: ExecHost) => Promise<void>): void {
  for (const host of MODES) {
    Deno.test(`process layer (${host.isolation}): ${name}`, async () => {
      const exec = new ExecHost(host);
      try {
        await fn(exec);
      } finally {
        await exec.close();
      }
    });
  }
}

modeTest("echo writes hi and exits 0", async (exec) => {
  assert.deepEqual(await outcome(exec, request("echo", ["hi"])), {
    stdout: "hi\n",
    stderr: "",
    end: { code: 0 },
  });
});

modeTest("stderr, exit codes and the signal exit code", async (exec) => {
  const out = await outcome(exec, request("sh", ["-c", "echo oops >&2; exit 3"]));
  assert.deepEqual(out, { stdout: "", stderr: "oops\n", end: { code: 3 } });
  const killed = await outcome(exec, request("sh", ["-c", "kill -9 $$"]));
  assert.deepEqual(killed.end, { code: -1 });
});

modeTest("stdin streams to cat, and EOF ends it", async (exec) => {
  const run = await started(exec, request("cat"));
  assert.equal(await run.process.writeStdin(new TextEncoder().encode("hello ")), undefined);
  assert.equal(await run.process.writeStdin(new TextEncoder().encode("world")), undefined);
  assert.equal(await run.process.writeStdin(new Uint8Array()), undefined);
  const after = await run.process.writeStdin(new TextEncoder().encode("late"));
  assert.equal(after?.errnoName, "EBADF");
  assert.deepEqual(await run.outcome(), { stdout: "hello world", stderr: "", end: { code: 0 } });
});

modeTest("a write to a command that closed stdin is an EPIPE, not fatal", async (exec) => {
  const run = await started(exec, request("sh", ["-c", "exec 0<&-; sleep 0.3; echo done"]));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const failed = await run.process.writeStdin(new Uint8Array(200_000));
  assert.equal(failed?.errnoName, "EPIPE");
  assert.equal(failed?.errno, 32);
  assert.deepEqual(await run.outcome(), { stdout: "done\n", stderr: "", end: { code: 0 } });
});

modeTest("cwd and env are applied; / is the sandbox directory", async (exec) => {
  const dir = await exec.dirs.path("sb");
  await Deno.mkdir(`${dir}/work`);
  const out = await outcome(
    exec,
    request("sh", ["-c", 'pwd; echo "$GREETING"; echo "$EMPTY|"'], {
      cwd: "/work",
      env: ["GREETING=hello=there", "EMPTY=", "NOEQUALS"],
    }),
  );
  // Under a root view the command sees guest paths; otherwise the host path of its folder.
  const seen = exec.isolation === "bubblewrap" ? "" : dir;
  assert.deepEqual(out, {
    stdout: `${seen}/work\nhello=there\n|\n`,
    stderr: "",
    end: { code: 0 },
  });
  const root = await outcome(exec, request("pwd", [], { cwd: null }));
  assert.equal(root.stdout, `${seen || "/"}\n`);
});

modeTest("spawn failures carry agentd's kinds", async (exec) => {
  assert.deepEqual(await failureOf(exec, request("no-such-command-xyz")), {
    kind: "not_found",
    errno: 2,
    errnoName: "ENOENT",
    message: 'cannot run "no-such-command-xyz": No such file or directory',
    stage: "execvp",
  });
  const badCwd = await failureOf(exec, request("true", [], { cwd: "/missing" }));
  assert.equal(badCwd.kind, "bad_cwd");
  assert.equal(badCwd.errnoName, "ENOENT");
  const dir = await exec.dirs.path("sb");
  await Deno.writeTextFile(`${dir}/plain.sh`, "#!/bin/sh\necho hi\n", { mode: 0o644 });
  await Deno.chmod(`${dir}/plain.sh`, 0o644);
  const denied = await failureOf(exec, request("/plain.sh"));
  assert.equal(denied.kind, "permission_denied");
  assert.equal(denied.errno, 13);
  await Deno.writeTextFile(`${dir}/garbage`, "not a program\n");
  await Deno.chmod(`${dir}/garbage`, 0o755);
  const noexec = await failureOf(exec, request("./garbage"));
  assert.equal(noexec.kind, "not_executable");
  assert.equal(noexec.errnoName, "ENOEXEC");
  await Deno.chmod(`${dir}/plain.sh`, 0o755);
  assert.equal((await outcome(exec, request("/plain.sh"))).stdout, "hi\n");
});

modeTest("a signal reaches the command and the process ends", async (exec) => {
  const run = await started(exec, request("sleep", ["60"]));
  assert.equal(exec.processes().length, 1);
  await run.process.signal(15);
  assert.deepEqual((await run.outcome()).end, { code: -1 });
  assert.deepEqual(exec.processes(), []);
});

modeTest("a trapped signal lets the command exit its own way", async (exec) => {
  const run = await started(
    exec,
    request("sh", ["-c", "trap 'echo got; exit 7' USR1; echo ready; while :; do sleep 0.02; done"]),
  );
  while (!run.text("stdout").includes("ready")) await delay(5);
  await run.process.signal(10);
  const out = await run.outcome();
  assert.deepEqual(out.end, { code: 7 });
  assert.equal(out.stdout, "ready\ngot\n");
});

modeTest("kill ends the command and what it started", async (exec) => {
  const run = await started(exec, request("sh", ["-c", "sleep 60 & sleep 61"]));
  await delay(100);
  await run.process.kill();
  assert.deepEqual((await run.outcome()).end, { code: -1 });
  assert.deepEqual(exec.processes(), []);
});

modeTest("a child that escapes with the pipes ends with the command", async (exec) => {
  const marker = `escaped-${crypto.randomUUID()}`;
  const out = await outcome(
    exec,
    request("sh", ["-c", escapeScript(marker)]),
  );
  assert.deepEqual(out, { stdout: "done\n", stderr: "", end: { code: 0 } });
  assert.deepEqual(await cmdlinesWith(marker), [], "the escaped child is still running");
});

/**
 * A command that starts a child in a session of its own (`setsid`), waits until the child runs
 * there (holding stdout), then prints `done` and exits; the child would print `late` 20 s later.
 */
function escapeScript(marker: string): string {
  const flag = `${marker}.flag`;
  return `setsid sh -c ': > ${flag}; sleep 20; echo late' ${marker} & ` +
    `while [ ! -e ${flag} ]; do sleep 0.01; done; echo done`;
}

/** The host processes whose command line contains `marker`. */
async function cmdlinesWith(marker: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const line = await Deno.readTextFile(`/proc/${entry.name}/cmdline`).catch(() => "");
    if (line.includes(marker)) found.push(`${entry.name} ${line.replaceAll("\0", " ")}`);
  }
  return found;
}

modeTest("rlimits are applied", async (exec) => {
  const out = await outcome(
    exec,
    request("sh", ["-c", "ulimit -n"], { rlimits: [{ resource: "nofile", soft: 64, hard: 128 }] }),
  );
  assert.deepEqual(out, { stdout: "64\n", stderr: "", end: { code: 0 } });
  const bad = await failureOf(
    exec,
    request("true", [], { rlimits: [{ resource: "nofile", soft: 10, hard: 5 }] }),
  );
  assert.equal(bad.kind, "resource_limit");
});

modeTest("a terminal: tty prints a /dev/pts path, output merges into stdout", async (exec) => {
  const out = await outcome(exec, request("sh", ["-c", "tty; echo err >&2"], { tty: true }));
  assert.match(out.stdout, /^\/dev\/pts\/\d+\r\nerr\r\n$/);
  assert.equal(out.stderr, "");
  assert.deepEqual(out.end, { code: 0 });
});

modeTest("a terminal has the requested size and can be resized", async (exec) => {
  const run = await started(
    exec,
    request("sh", ["-c", "stty size; read line; stty size"], { tty: true, rows: 10, cols: 20 }),
  );
  while (!run.text("stdout").includes("10 20")) await delay(5);
  await run.process.resize(30, 40);
  await run.process.writeStdin(new TextEncoder().encode("go\n"));
  const out = await run.outcome();
  assert.match(out.stdout, /10 20\r\n.*30 40\r\n$/s);
});

modeTest("a terminal command killed by a signal exits with -1", async (exec) => {
  const run = await started(exec, request("sleep", ["60"], { tty: true }));
  await run.process.signal(9);
  assert.deepEqual((await run.outcome()).end, { code: -1 });
});

Deno.test("process layer (none, without perl): an escaped child holding the pipes does not hold the exit forever", async () => {
  const plain: HostInfo = {
    ...detected,
    isolation: "none",
    tools: { ...detected.tools, perl: null },
  };
  const exec = new ExecHost(plain);
  try {
    const marker = `escaped-${crypto.randomUUID()}`;
    const out = await outcome(
      exec,
      request("sh", ["-c", escapeScript(marker)]),
    );
    assert.deepEqual(out, { stdout: "done\n", stderr: "", end: { code: 0 } });
    for (const line of await cmdlinesWith(marker)) {
      const pid = Number(/^(\d+) /.exec(line)?.[1]);
      if (pid) Deno.kill(pid, "SIGKILL");
    }
  } finally {
    await exec.close();
  }
});

Deno.test("process layer: without script, a terminal is pty_setup_failed", async () => {
  const exec = new ExecHost({ ...detected, tools: { ...detected.tools, script: null } });
  try {
    const failed = await failureOf(exec, request("true", [], { tty: true }));
    assert.equal(failed.kind, "pty_setup_failed");
    assert.equal(failed.stage, "posix_openpt");
  } finally {
    await exec.close();
  }
});

modeTest("a slow sink holds the command back", async (exec) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  let taken = 0;
  const run = await start(exec, request("head", ["-c", "20000000", "/dev/zero"]), async (_s, d) => {
    taken += d.length;
    if (taken > 1_000_000) await gate;
  });
  assert.ok(run instanceof Run);
  await delay(300);
  assert.equal(exec.processes().length, 1, "the command should still be blocked on its pipe");
  assert.ok(taken < 1_200_000, `read ${taken} bytes ahead`);
  release();
  const out = await run.process.ended;
  assert.deepEqual(out, { code: 0 });
  assert.equal(taken, 20_000_000);
  assert.ok(run.chunks.stdout.every((chunk) => chunk.length <= 64 * 1024));
});

modeTest("close kills everything and removes the directories", async (exec) => {
  const dir = await exec.dirs.path("sb");
  const run = await started(exec, request("sleep", ["60"]));
  await exec.close();
  assert.deepEqual(await run.process.ended, { code: -1 });
  await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
  const late = await exec.spawn("sb", request("true"), () => Promise.resolve());
  assert.ok("failure" in late);
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

for (const host of MODES.filter((mode) => mode.isolation !== "none")) {
  Deno.test(`process layer (${host.isolation}): commands get their own pid and network namespaces`, async () => {
    const exec = new ExecHost(host);
    try {
      const out = await outcome(
        exec,
        request("sh", ["-c", "echo $$; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"]),
      );
      assert.deepEqual(out, { stdout: "2\nlo\n", stderr: "", end: { code: 0 } });
    } finally {
      await exec.close();
    }
  });
}
