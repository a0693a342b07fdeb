import assert from "node:assert/strict";
import { parseCliArgs } from "../../src/testing/cli.ts";

const noEnv = (): undefined => undefined;

Deno.test("parseCliArgs reads flags, with or without =", () => {
  assert.deepEqual(
    parseCliArgs(
      [
        "--generation",
        "v0.5",
        "--port=8080",
        "--api-key",
        "k",
        "--boot-delay-ms=5",
        "--stop-delay-ms",
        "7",
      ],
      noEnv,
    ),
    { generation: "v0.5", apiKey: "k", port: 8080, bootDelayMs: 5, stopDelayMs: 7 },
  );
  assert.deepEqual(parseCliArgs([], noEnv), { stopDelayMs: 0 });
  assert.equal(parseCliArgs(["--port", "1", "--help"], noEnv), "help");
});

Deno.test("parseCliArgs falls back to MSB_LOCAL_* variables", () => {
  const env: Record<string, string> = {
    MSB_LOCAL_PORT: "9000",
    MSB_LOCAL_API_KEY: "from-env",
    MSB_LOCAL_GENERATION: "v0.5",
  };
  assert.deepEqual(parseCliArgs(["--port", "9001"], (name) => env[name]), {
    generation: "v0.5",
    apiKey: "from-env",
    port: 9001,
    stopDelayMs: 0,
  });
});

Deno.test("parseCliArgs rejects unknown flags, missing values and non-numbers", () => {
  assert.throws(() => parseCliArgs(["--verbose"], noEnv), TypeError);
  assert.throws(() => parseCliArgs(["serve"], noEnv), TypeError);
  assert.throws(() => parseCliArgs(["--port"], noEnv), TypeError);
  assert.throws(() => parseCliArgs(["--port", "eighty"], noEnv), TypeError);
  assert.throws(() => parseCliArgs(["--boot-delay-ms="], noEnv), TypeError);
});

Deno.test("deno task cloud prints the URL and key, serves, and stops on SIGTERM", async () => {
  const cli = new URL("../../src/testing/cli.ts", import.meta.url);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", "--allow-env", cli.pathname, "--api-key", "cli-key"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).values();
  let output = "";
  while (!output.includes("MSB_API_KEY=")) {
    const next = await lines.next();
    if (next.done) break;
    output += next.value;
  }
  const url = /^MSB_API_URL=(.+)$/m.exec(output)?.[1];
  assert.match(url ?? "", /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(output, /^MSB_API_KEY=cli-key$/m);
  const res = await fetch(`${url}/v1/sandboxes`, { headers: { authorization: "Bearer cli-key" } });
  assert.deepEqual(await res.json(), { data: [], has_more: false, next_cursor: null });
  child.kill("SIGTERM");
  for (let next = await lines.next(); !next.done; next = await lines.next()) output += next.value;
  const status = await child.status;
  await child.stderr.cancel();
  assert.equal(status.code, 0);
  assert.match(output, /# stopped on SIGTERM/);
});
