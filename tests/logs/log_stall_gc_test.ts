import assert from "node:assert/strict";

const MAIN = new URL("./_stall_gc_main.ts", import.meta.url).pathname;

Deno.test("logs: the stall timeout ends a stalled connection even once its Response is garbage collected", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--unstable-net", "-A", "--v8-flags=--expose-gc", MAIN],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout).trim();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.equal(stdout, "rejected StreamStalledError");
});
