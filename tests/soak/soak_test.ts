// The soak, short: about 15 s of every client against the adapter with random faults, with all
// its correctness checks (the memory check needs a longer run: `deno task soak`). And one planted
// defect, to show that the soak run by this test can fail.

import assert from "node:assert/strict";
import { breakRun } from "../../soak/_self_check.ts";

const MAIN = new URL("../../soak/main.ts", import.meta.url).pathname;

Deno.test("soak: 15 s of many clients and tenants with random faults loses, repeats, hangs and leaks nothing", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--unstable-net", "-A", MAIN, "--duration=15", "--max-requests=5000"],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const summary = new TextDecoder().decode(output.stdout);
  console.log(summary);
  assert.equal(output.code, 0, summary);
  assert.match(summary, /^PASS$/m);
});

Deno.test("soak: a server that repeats a log entry fails the soak", async () => {
  assert.ok(await breakRun("dup-log"));
});
