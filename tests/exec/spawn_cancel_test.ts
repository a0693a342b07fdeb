// Cancelling a spawn's stdout and stderr while the command prints kills the process and closes
// its socket, and `exited` says the output was cancelled (never a stream's own TypeError).
import assert from "node:assert/strict";
import { RuntimeError, type Sandbox } from "../../mod.ts";
import { GENERATIONS, type Setup, setup } from "../_cloud.ts";
import { assertExecReleased } from "../http/_released.ts";

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
