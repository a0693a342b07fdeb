import assert from "node:assert/strict";
import { denoDir } from "../_deno_dir.ts";
import { InvalidConfigError, Microsandbox } from "../../mod.ts";
import { runChild } from "../runtimes/_child.ts";
import { ensureRuntimes } from "../runtimes/_install.ts";

const MOD = new URL("../../mod.ts", import.meta.url).href;
const CHILD_ENV = { MSB_API_KEY: "k", MSB_API_URL: "http://from-env.test/" };

/**
 * A script that serves `fetch(request, second) => Microsandbox.fromEnv(second).url` with the
 * runtime's own server (`serve` opens it and returns the port and a closer), asks it once and
 * prints the answer: the second argument is what that runtime gives a fetch handler.
 */
function serveScript(serve: string): string {
  return `
    import { Microsandbox } from ${JSON.stringify(MOD)};
    const handler = (_request, second) => {
      try {
        return new Response(Microsandbox.fromEnv(second).url);
      } catch (error) {
        return new Response(String(error), { status: 500 });
      }
    };
    const { port, close } = ${serve};
    const response = await fetch(\`http://127.0.0.1:\${port}/\`);
    console.log(response.status, await response.text());
    await close();`;
}

const DENO_SERVE = `(() => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  return { port: server.addr.port, close: () => server.shutdown() };
})()`;

const BUN_SERVE = `(() => {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
  return { port: server.port, close: () => server.stop(true) };
})()`;

Deno.test("Microsandbox.fromEnv reads MSB_API_KEY and MSB_API_URL from a record", () => {
  const msb = Microsandbox.fromEnv({ MSB_API_KEY: " k ", MSB_API_URL: " http://h.test/ " });
  assert.equal(msb.url, "http://h.test");
});

Deno.test("Microsandbox.fromEnv falls back to the default URL when MSB_API_URL is blank", () => {
  assert.equal(
    Microsandbox.fromEnv({ MSB_API_KEY: "k", MSB_API_URL: "  " }).url,
    "https://api.microsandbox.dev",
  );
  assert.equal(Microsandbox.fromEnv({ MSB_API_KEY: "k" }).url, "https://api.microsandbox.dev");
});

Deno.test("Microsandbox.fromEnv ignores bindings that are not strings, as in a Workers env", () => {
  assert.throws(
    () => Microsandbox.fromEnv({ MSB_API_KEY: { binding: true } }),
    (error: unknown) =>
      error instanceof InvalidConfigError &&
      error.message === "MSB_API_KEY not set — required for cloud backend",
  );
});

Deno.test("Microsandbox.fromEnv requires a non-blank MSB_API_KEY", () => {
  for (const env of [{ MSB_API_KEY: "   " }, { MSB_API_URL: "http://h.test", other: "k" }]) {
    assert.throws(
      () => Microsandbox.fromEnv(env),
      /^InvalidConfigError: MSB_API_KEY not set — required for cloud backend$/,
    );
  }
});

Deno.test("Microsandbox.fromEnv passes further options through", () => {
  assert.equal(Microsandbox.fromEnv({ MSB_API_KEY: "k" }, { wire: "v0.5" }).wire, "v0.5");
});

Deno.test("Microsandbox.fromEnv reads the runtime's environment when given no record", async () => {
  const script = `
    import { Microsandbox } from ${JSON.stringify(new URL("../../mod.ts", import.meta.url).href)};
    console.log(Microsandbox.fromEnv().url);`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    cwd: new URL("../..", import.meta.url),
    env: { MSB_API_KEY: "k", MSB_API_URL: "http://from-env.test/", DENO_DIR: denoDir() },
    clearEnv: true,
  }).output();
  assert.equal(new TextDecoder().decode(output.stderr), "");
  assert.equal(new TextDecoder().decode(output.stdout).trim(), "http://from-env.test");
});

Deno.test("Microsandbox.fromEnv reads the runtime's environment for a record naming neither variable", async () => {
  const script = `
    import { Microsandbox } from ${JSON.stringify(MOD)};
    for (const env of [{ incoming: {}, outgoing: {} }, {}]) {
      try {
        console.log(Microsandbox.fromEnv(env).url);
      } catch (error) {
        console.log(String(error));
      }
    }`;
  const run = async (env: Record<string, string>) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", script],
      cwd: new URL("../..", import.meta.url),
      env: { ...env, DENO_DIR: denoDir() },
      clearEnv: true,
    }).output();
    assert.equal(new TextDecoder().decode(output.stderr), "");
    return new TextDecoder().decode(output.stdout).trim().split("\n");
  };
  assert.deepEqual(await run(CHILD_ENV), ["http://from-env.test", "http://from-env.test"]);
  const notSet = "InvalidConfigError: MSB_API_KEY not set — required for cloud backend";
  assert.deepEqual(await run({}), [notSet, notSet]);
});

Deno.test("Microsandbox.fromEnv(second) in a Deno.serve fetch handler reads Deno's environment", async () => {
  const output = await runChild({
    label: "deno",
    command: Deno.execPath(),
    args: ["eval", serveScript(DENO_SERVE)],
    env: { ...CHILD_ENV, DENO_DIR: denoDir() },
    cwd: new URL("../..", import.meta.url).pathname,
    timeoutMs: 60_000,
  });
  assert.equal(output.stdout, "200 http://from-env.test\n");
});

Deno.test("Microsandbox.fromEnv(second) in a Bun.serve fetch handler reads Bun's environment", async () => {
  const { bun } = await ensureRuntimes();
  const output = await runChild({
    label: "bun",
    command: bun,
    args: ["--eval", serveScript(BUN_SERVE)],
    env: CHILD_ENV,
    cwd: new URL("../..", import.meta.url).pathname,
    timeoutMs: 60_000,
  });
  assert.equal(output.stdout, "200 http://from-env.test\n");
});
