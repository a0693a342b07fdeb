import assert from "node:assert/strict";
import {
  ExecTimeoutError,
  MicrosandboxError,
  ProtocolError,
  RuntimeError,
  type Sandbox,
  SandboxNotRunningError,
} from "../../mod.ts";
import { GENERATIONS, type Setup, setup } from "../_cloud.ts";

async function running(env: Setup): Promise<Sandbox> {
  const sandbox = await env.msb.sandboxes.create({ name: "faulty", image: "alpine" });
  while (sandbox.status !== "running") {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sandbox.refresh();
  }
  return sandbox;
}

for (const wire of GENERATIONS) {
  Deno.test(`Exec output survives frames split into 1-byte messages and coalesced (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    for (const kind of ["split", "coalesce"] as const) {
      env.cloud.faults.execFault(kind);
      const output = await sandbox.shell("printf 'alpha\\n'; printf 'beta' >&2; exit 4");
      assert.deepEqual([output.code, output.stdoutText(), output.stderrText()], [
        4,
        "alpha\n",
        "beta",
      ], kind);
    }
  });

  Deno.test(`A socket closed before the exit frame is a RuntimeError (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    env.cloud.faults.execFault("closeBeforeExit");
    await assert.rejects(
      sandbox.exec("echo", ["hi"]),
      (error: unknown) =>
        error instanceof RuntimeError &&
        error.message === "cloud exec websocket closed before exit event",
    );
  });

  Deno.test(`An oversized frame length is a ProtocolError (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    env.cloud.faults.execFault("oversizedLength");
    await assert.rejects(
      sandbox.exec("echo", ["hi"]),
      (error: unknown) => error instanceof ProtocolError && /4194304/.test(error.message),
    );
  });

  Deno.test(`A truncated frame is a typed error, not a hang (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    env.cloud.faults.execFault("truncatedFrame");
    await assert.rejects(
      sandbox.exec("echo", ["hi"]),
      (error: unknown) => error instanceof ProtocolError || error instanceof RuntimeError,
    );
  });

  Deno.test(`A stalled session ends with the exec timeout (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    env.cloud.faults.execFault("stall");
    await assert.rejects(sandbox.exec("echo", ["hi"], { timeout: 300 }), ExecTimeoutError);
  });

  Deno.test(`Exec on a stopped sandbox or with a wrong key fails to connect with a typed error (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env);
    await sandbox.stop();
    await assert.rejects(sandbox.exec("echo", ["hi"]), SandboxNotRunningError);
    await assert.rejects(sandbox.exec("echo"), MicrosandboxError);
  });
}

Deno.test("The agent route accepts the relay's legacy handshake", async () => {
  await using env = await setup("current");
  const sandbox = await running(env);
  env.cloud.faults.execFault("legacyHandshake");
  assert.equal((await sandbox.exec("echo", ["old relay"])).stdoutText(), "old relay\n");
});

Deno.test("The agent route uses ids from the granted range, one socket for concurrent sessions", async () => {
  await using env = await setup("current", {}, { agentIdRange: [40, 43] });
  const sandbox = await running(env);
  const outputs = await Promise.all([1, 2, 3].map((i) => sandbox.exec("echo", [`s${i}`])));
  assert.deepEqual(outputs.map((o) => o.stdoutText()), ["s1\n", "s2\n", "s3\n"]);
  const upgrades = env.cloud.requests.filter((r) => r.url.endsWith("/agent"));
  assert.equal(upgrades.length, 1);
  assert.equal((await sandbox.exec("echo", ["again"])).stdoutText(), "again\n");
});
