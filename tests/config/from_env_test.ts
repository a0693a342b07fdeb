import assert from "node:assert/strict";
import { denoDir } from "../_deno_dir.ts";
import { InvalidConfigError, Microsandbox } from "../../mod.ts";

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
  for (const env of [{}, { MSB_API_KEY: "   " }]) {
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
