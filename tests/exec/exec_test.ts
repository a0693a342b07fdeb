import assert from "node:assert/strict";
import { ExecFailedError, ExecTimeoutError, InvalidConfigError, type Sandbox } from "../../mod.ts";
import { GENERATIONS, setup } from "../_cloud.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function running(env: Awaited<ReturnType<typeof setup>>, name = "box"): Promise<Sandbox> {
  const sandbox = await env.msb.sandboxes.create({
    name,
    image: "alpine",
    env: { FROM_SPEC: "spec", OVERRIDE: "spec" },
  });
  while (sandbox.status !== "running") {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sandbox.refresh();
  }
  return sandbox;
}

/** Waits until the local cloud runs no process for `cmd`. */
async function gone(env: Awaited<ReturnType<typeof setup>>, cmd: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (!env.cloud.processes().some((p) => p.cmd.includes(cmd))) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`the local cloud still runs ${cmd}`);
}

for (const wire of GENERATIONS) {
  Deno.test(`Sandbox.exec runs a command and collects its output (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    const output = await sandbox.exec("echo", ["hi"]);
    assert.equal(output.code, 0);
    assert.ok(output.success);
    assert.equal(output.stdoutText(), "hi\n");
    assert.equal(output.stderrText(), "");
    const failed = await sandbox.shell("echo oops >&2; exit 3");
    assert.deepEqual([failed.code, failed.success, failed.stderrText()], [3, false, "oops\n"]);
  });

  Deno.test(`Sandbox.exec merges the sandbox env with overrides, and applies cwd (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    const output = await sandbox.shell('echo "$FROM_SPEC $OVERRIDE $EXTRA"; pwd', {
      env: { OVERRIDE: "exec", EXTRA: "x" },
      cwd: "/",
    });
    const [vars, dir] = output.stdoutText().trim().split("\n");
    assert.equal(vars, "spec exec x");
    // Under a root view `/` is the sandbox's own; otherwise it is the sandbox folder's host path.
    if (env.cloud.isolation === "bubblewrap") assert.equal(dir, "/");
    else assert.ok(dir && dir.length > 1, "cwd resolves inside the sandbox's directory");
  });

  Deno.test(`Sandbox.exec sends stdin then end-of-file, or end-of-file at once (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    assert.equal((await sandbox.exec("cat", [], { stdin: "hello" })).stdoutText(), "hello");
    assert.equal((await sandbox.exec("cat")).stdoutText(), "");
    const stream = ReadableStream.from([new Uint8Array([1, 2]), new Uint8Array([3])]);
    assert.deepEqual([...(await sandbox.exec("cat", [], { stdin: stream })).stdout], [1, 2, 3]);
  });

  Deno.test(`Sandbox.exec reports a command that cannot start (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    await assert.rejects(
      sandbox.exec("no-such-command-here"),
      (error: unknown) =>
        error instanceof ExecFailedError && error.kind === "ExecFailed" &&
        error.failureKind === "not_found",
    );
    await assert.rejects(
      sandbox.exec("true", [], { cwd: "/missing/dir" }),
      (error: unknown) => error instanceof ExecFailedError && error.failureKind === "bad_cwd",
    );
  });

  Deno.test(`Sandbox.spawn streams stdin and stdout live and reports the exit (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    const process = await sandbox.spawn("cat");
    assert.ok(process.pid > 0);
    const writer = process.stdin.getWriter();
    const reader = process.stdout.getReader();
    for (const word of ["one", "two", "three"]) {
      await writer.write(new TextEncoder().encode(word));
      const { value } = await reader.read();
      assert.equal(text(value!), word);
    }
    await writer.close();
    assert.equal((await reader.read()).done, true);
    await process.stderr.cancel();
    assert.deepEqual(await process.exited, { code: 0, success: true });
  });

  Deno.test(`ExecProcess.events carry started, output and exited in order (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    const process = await sandbox.spawn("sh", ["-c", "echo out; echo err >&2"]);
    await process.stdin.close();
    const events = await Array.fromAsync(process.events);
    const kinds = events.map((event) => event.type);
    assert.equal(kinds[0], "started");
    assert.deepEqual(events[0], { type: "started", pid: process.pid });
    assert.equal(kinds.at(-1), "exited");
    const out = events.filter((e) => e.type === "stdout").map((e) =>
      text((e as { data: Uint8Array }).data)
    ).join("");
    assert.equal(out, "out\n");
    assert.throws(() => process.stdout, InvalidConfigError);
  });

  Deno.test(`ExecProcess.kill ends the remote process with code -1 (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    const process = await sandbox.spawn("sleep", ["61"]);
    assert.ok(env.cloud.processes().some((p) => p.cmd.includes("sleep")));
    await process.kill();
    assert.deepEqual(await process.exited, { code: -1, success: false });
    await gone(env, "sleep");
  });

  Deno.test(`A timeout kills the remote process and throws ExecTimeoutError (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    await assert.rejects(
      sandbox.exec("sleep", ["62"], { timeout: 300 }),
      (error: unknown) => error instanceof ExecTimeoutError && error.timeout === 300,
    );
    await gone(env, "sleep");
  });

  Deno.test(`Aborting kills the remote process and rejects with the reason (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    const controller = new AbortController();
    const running_ = sandbox.exec("sleep", ["63"], { signal: controller.signal });
    while (!env.cloud.processes().some((p) => p.cmd.includes("sleep"))) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    controller.abort(new Error("stop it"));
    await assert.rejects(running_, /stop it/);
    await gone(env, "sleep");
  });

  Deno.test(`Cancelling the output streams kills the remote process (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    const process = await sandbox.spawn("sleep", ["64"]);
    await process.stdout.cancel();
    await process.stderr.cancel();
    await gone(env, "sleep");
    await assert.rejects(process.exited);
  });

  Deno.test(`A 50 MB stdin round-trips through sha256sum (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    const size = 50 * 1024 * 1024;
    const chunk = crypto.getRandomValues(new Uint8Array(65536));
    let sent = 0;
    const stdin = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) return controller.close();
        controller.enqueue(chunk);
        sent += chunk.byteLength;
      },
    });
    const whole = new Uint8Array(size);
    for (let at = 0; at < size; at += chunk.byteLength) whole.set(chunk, at);
    const expected = [...new Uint8Array(await crypto.subtle.digest("SHA-256", whole))]
      .map((b) => b.toString(16).padStart(2, "0")).join("");
    const output = await sandbox.exec("sha256sum", [], { stdin });
    assert.equal(output.stdoutText().split(" ")[0], expected);
  });

  Deno.test(`200 concurrent execs on one client each get their own output (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    const outputs = await Promise.all(
      Array.from({ length: 200 }, (_, i) => sandbox.exec("echo", [`run-${i}`])),
    );
    outputs.forEach((output, i) => assert.equal(output.stdoutText(), `run-${i}\n`));
  });

  Deno.test(`Sandbox.exec refuses output past maxOutputBytes and kills the process (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    await assert.rejects(
      sandbox.exec("sh", ["-c", "head -c 1000000 /dev/zero; sleep 65"], { maxOutputBytes: 1000 }),
      /maxOutputBytes/,
    );
    await gone(env, "sleep 65");
  });
}

for (const wire of GENERATIONS) {
  Deno.test(`Sandbox.spawn with tty runs the command in a terminal (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    const process = await sandbox.spawn("tty", [], { tty: true, rows: 30, cols: 100 });
    await process.resize(40, 120);
    await process.stdin.close();
    await process.stderr.cancel();
    const out = (await Array.fromAsync(process.stdout.pipeThrough(new TextDecoderStream()))).join(
      "",
    );
    assert.match(out, /\/dev\/pts\/\d+/);
    assert.equal((await process.exited).code, 0);
  });
}
