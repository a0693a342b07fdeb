// Cancelling a spawn's stdout and stderr while the command prints kills the process and closes
// its socket, and `exited` says the output was cancelled (never a stream's own TypeError); a spawn
// aborted while it starts leaves no process behind, even on a socket another command shares.
import assert from "node:assert/strict";
import { RuntimeError, type Sandbox } from "../../mod.ts";
import { GENERATIONS, type Setup, setup } from "../_cloud.ts";
import { assertExecReleased, until } from "../http/_released.ts";

const PRINTING = ["sh", ["-c", "while :; do echo out; echo err >&2; sleep 0.005; done"]] as const;
/**
 * Rounds per wire: output that arrives while the cancel is under way is what went wrong, and
 * whether it does is a race, so the cancel is tried several times.
 */
const ROUNDS = 20;

async function printer(env: Setup): Promise<Sandbox> {
  const sandbox = await env.msb.sandboxes.create({ name: "printer", image: "alpine" });
  while (sandbox.status !== "running") await sandbox.refresh();
  return sandbox;
}

for (const wire of GENERATIONS) {
  Deno.test(`ExecProcess: cancelling stdout, then stderr, while the command prints kills it, closes its socket and rejects exited with RuntimeError (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await printer(env);
    for (let round = 0; round < ROUNDS; round++) {
      const process = await sandbox.spawn(...PRINTING);
      const stdout = process.stdout.getReader();
      await stdout.read();
      await stdout.cancel();
      await process.stderr.cancel();
      await assert.rejects(process.exited, (error: Error) => {
        assert.ok(error instanceof RuntimeError, `round ${round}: ${error.name}: ${error.message}`);
        assert.equal(error.message, "the process's output was cancelled");
        return true;
      });
      await assertExecReleased(env.cloud, "sh");
    }
  });
}

for (const wire of GENERATIONS) {
  Deno.test(`Sandbox.spawn aborted at any moment of its start leaves no process behind while another command runs (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await printer(env);
    // It keeps the sandbox's agent socket open (current wire): closing one session alone kills
    // nothing there.
    await using _keeper = await sandbox.spawn("sleep", ["60"]);
    const aborted = () => env.cloud.processes().filter((p) => p.cmd.includes("sh"));
    for (let round = 0; round < 10; round++) {
      const controller = new AbortController();
      const spawning = sandbox.spawn(...PRINTING, { signal: controller.signal });
      // Abort a little later each round, so that some land while the command starts.
      await new Promise((resolve) => setTimeout(resolve, round));
      controller.abort();
      const started = await spawning.catch(() => undefined);
      started?.exited.catch(() => {});
      await until(() => aborted().length === 0, `round ${round}: the aborted command was killed`);
    }
    assert.equal(env.cloud.processes().length, 1);
  });
}
