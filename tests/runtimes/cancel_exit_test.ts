// A program whose consumers have all cancelled (a spawn's output, a spawn's events, a log) exits
// by itself, on Deno (with and without WebSocketStream), Bun and Node 24, on both wires; and the local
// cloud then runs no process and holds no exec socket or log stream.
import assert from "node:assert/strict";
import { GENERATIONS, setup } from "../_cloud.ts";
import { assertExecReleased, until } from "../http/_released.ts";
import { runChild } from "./_child.ts";
import { ensureRuntimes, REPO } from "./_install.ts";

const ENTRY = "tests/runtimes/_cancel_consumer_main.ts";
const DENO = ["run", "--allow-net", "--allow-env", "--allow-read"];

const RUNNERS: { label: string; command: () => Promise<[string, string[]]> }[] = [
  { label: "Deno", command: () => Promise.resolve([Deno.execPath(), [...DENO, ENTRY]]) },
  {
    label: "Deno --unstable-net",
    command: () => Promise.resolve([Deno.execPath(), [...DENO, "--unstable-net", ENTRY]]),
  },
  { label: "Bun", command: async () => [(await ensureRuntimes()).bun, ["run", ENTRY]] },
  { label: "Node 24", command: async () => [(await ensureRuntimes()).node, [ENTRY]] },
];

for (const { label, command } of RUNNERS) {
  for (const wire of GENERATIONS) {
    Deno.test(`a ${label} program whose spawn, events and log readers all cancelled exits by itself (${wire})`, async () => {
      const [executable, args] = await command();
      await using env = await setup(wire);
      const sandbox = await env.msb.sandboxes.create({ name: "printer", image: "alpine" });
      while (sandbox.status !== "running") await sandbox.refresh();
      const output = await runChild({
        label,
        command: executable,
        args,
        cwd: REPO,
        env: {
          MSB_API_URL: env.cloud.url,
          MSB_API_KEY: env.cloud.apiKey,
          MSB_WIRE: wire,
          SANDBOX: sandbox.name,
          PATH: Deno.env.get("PATH") ?? "",
          HOME: Deno.env.get("HOME") ?? "",
        },
        timeoutMs: 30_000,
      });
      assert.match(output.stdout, /^cancelled$/m);
      await assertExecReleased(env.cloud, "sh");
      await until(() => env.cloud.liveLogStreams() === 0, "the log stream ended");
    });
  }
}
