import assert from "node:assert/strict";
import { denoDir } from "../_deno_dir.ts";
import { InvalidConfigError, Microsandbox, UnsupportedError } from "../../mod.ts";

const CONFIG = {
  active_profile: "staging",
  profiles: {
    staging: { backend: "cloud", url: " http://staging.test/ ", api_key_ref: "env:STAGING_KEY" },
    prod: { backend: "cloud", api_key_ref: "inline:  msb_live_inline  " },
    laptop: { backend: "local" },
    ring: { backend: "cloud", api_key_ref: "keyring:microsandbox:prod" },
    badring: { backend: "cloud", api_key_ref: "keyring:only-service" },
    nokey: { backend: "cloud" },
    emptyenv: { backend: "cloud", api_key_ref: "env:UNSET_VAR" },
    weird: { backend: "cloud", api_key_ref: "vault:secret/msb_live_do_not_echo" },
    typo: { backend: "clowd", api_key_ref: "inline:k" },
  },
};

/** A temporary MSB_HOME holding `config.json` with the given text. */
async function home(text: string = JSON.stringify(CONFIG)): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "msb-home-" });
  await Deno.writeTextFile(`${dir}/config.json`, text);
  return dir;
}

function invalid(message: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof InvalidConfigError, String(error));
    assert.equal(error.message, message);
    return true;
  };
}

Deno.test("Microsandbox.fromProfile resolves an env: key and trims the profile's URL", async () => {
  const env = { MSB_HOME: await home(), STAGING_KEY: " msb_test_staging " };
  const msb = Microsandbox.fromProfile("staging", { env });
  assert.equal(msb.url, "http://staging.test");
});

Deno.test("Microsandbox.fromProfile resolves an inline: key and defaults the URL", async () => {
  const msb = Microsandbox.fromProfile("prod", { env: { MSB_HOME: await home() } });
  assert.equal(msb.url, "https://api.microsandbox.dev");
});

Deno.test("Microsandbox.fromProfile picks MSB_PROFILE, then active_profile", async () => {
  const dir = await home();
  const byEnv = Microsandbox.fromProfile(undefined, {
    env: { MSB_HOME: dir, MSB_PROFILE: " prod " },
  });
  assert.equal(byEnv.url, "https://api.microsandbox.dev");
  const byActive = Microsandbox.fromProfile(undefined, {
    env: { MSB_HOME: dir, STAGING_KEY: "k" },
  });
  assert.equal(byActive.url, "http://staging.test");
});

Deno.test("Microsandbox.fromProfile reads MSB_CONFIG_PATH before MSB_HOME", async () => {
  const dir = await home(
    JSON.stringify({
      profiles: { other: { backend: "cloud", url: "http://other.test", api_key_ref: "inline:k" } },
    }),
  );
  const env = { MSB_HOME: await home(), MSB_CONFIG_PATH: `${dir}/config.json` };
  assert.equal(Microsandbox.fromProfile("other", { env }).url, "http://other.test");
});

Deno.test("Microsandbox.fromProfile finds ~/.microsandbox/config.json through HOME", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/.microsandbox`);
  await Deno.writeTextFile(`${dir}/.microsandbox/config.json`, JSON.stringify(CONFIG));
  assert.equal(
    Microsandbox.fromProfile("prod", { env: { HOME: dir } }).url,
    "https://api.microsandbox.dev",
  );
});

Deno.test("Microsandbox.fromProfile reads the runtime's environment by default", async () => {
  const dir = await home();
  const script = `
    import { Microsandbox } from "./mod.ts";
    console.log(Microsandbox.fromProfile().url);`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    cwd: new URL("../..", import.meta.url),
    env: { HOME: dir, MSB_HOME: dir, STAGING_KEY: "k", DENO_DIR: denoDir() },
    clearEnv: true,
  }).output();
  assert.equal(new TextDecoder().decode(output.stderr), "");
  assert.equal(new TextDecoder().decode(output.stdout).trim(), "http://staging.test");
});

Deno.test("Microsandbox.fromProfile explains each bad profile", async () => {
  const env = { MSB_HOME: await home() };
  const cases: [string, string][] = [
    ["missing", 'profile "missing" not found in SDK config'],
    ["laptop", 'profile "laptop" is not a cloud profile'],
    ["nokey", "profile \"nokey\" backend=cloud requires an 'api_key_ref' field"],
    ["emptyenv", 'profile "emptyenv" api_key_ref env:UNSET_VAR names an unset or empty variable'],
    ["badring", 'profile "badring" api_key_ref keyring: must read keyring:<service>:<name>'],
    ["weird", 'profile "weird" api_key_ref must start with env:, inline: or keyring:'],
    ["typo", 'profile "typo" backend must be "local" or "cloud"'],
  ];
  for (const [name, message] of cases) {
    assert.throws(() => Microsandbox.fromProfile(name, { env }), invalid(message), name);
  }
});

Deno.test("Microsandbox.fromProfile says a missing active profile is the active one", async () => {
  const env = { MSB_HOME: await home(), MSB_PROFILE: "gone" };
  assert.throws(
    () => Microsandbox.fromProfile(undefined, { env }),
    invalid('active profile "gone" not found in SDK config'),
  );
});

Deno.test("Microsandbox.fromProfile refuses keyring: references clearly", async () => {
  const env = { MSB_HOME: await home() };
  assert.throws(
    () => Microsandbox.fromProfile("ring", { env }),
    (error: unknown) =>
      error instanceof UnsupportedError && /keyring/.test(error.message) &&
      /env:VAR/.test(error.message),
  );
});

Deno.test("Microsandbox.fromProfile treats a missing file as an empty config", async () => {
  const dir = await Deno.makeTempDir();
  assert.throws(
    () => Microsandbox.fromProfile("prod", { env: { MSB_HOME: dir } }),
    invalid('profile "prod" not found in SDK config'),
  );
  assert.throws(
    () => Microsandbox.fromProfile(undefined, { env: { MSB_HOME: dir } }),
    invalid(
      `no profile selected: pass a name, set MSB_PROFILE or set active_profile in ${dir}/config.json`,
    ),
  );
});

Deno.test("Microsandbox.fromProfile reports malformed JSON with the file's path", async () => {
  const dir = await home("{ not json");
  assert.throws(
    () => Microsandbox.fromProfile("prod", { env: { MSB_HOME: dir } }),
    (error: unknown) =>
      error instanceof InvalidConfigError &&
      error.message.startsWith(`failed to parse SDK config at ${dir}/config.json: SyntaxError`),
  );
});

Deno.test("Microsandbox.fromProfile never puts a key into its errors", async () => {
  const env = { MSB_HOME: await home() };
  try {
    Microsandbox.fromProfile("weird", { env });
    assert.fail("expected an error");
  } catch (error) {
    assert.ok(error instanceof Error);
    assert.ok(!error.message.includes("msb_live_do_not_echo"));
    assert.ok(!String(error.stack).includes("msb_live_do_not_echo"));
  }
});
