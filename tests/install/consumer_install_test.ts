// A consumer installs @microsandbox/edge the way the README says, into a fresh project in a
// temporary folder with empty caches, and runs a command on a local cloud (MSB_API_URL and
// MSB_API_KEY passed to the child): Deno with `"nodeModulesDir": "auto"` and with `"none"`, Bun and
// Node 24. Each child is bounded in time.
//
// JSR is out of reach here, so it is stood in for as closely as this machine allows: `deno
// publish` uploads the repository's package to a registry on loopback (`_fake_jsr.ts`), which is
// then the consumer's `JSR_URL`: Deno consumers run `deno add jsr:@microsandbox/edge` against it
// and resolve exactly the specifiers Deno unfurled on publish. Bun and Node consumers install the
// npm package that JSR's npm compatibility layer would serve, built from that same upload
// (`_npm_package.ts`) and packed as a `.tgz` (a `file:` dependency instead of
// `npm:@jsr/microsandbox__edge`). Every dependency of the package comes from the npm registry
// through each consumer's own resolver, and nothing of this repository's node_modules, lockfile
// or overrides is inherited.

import assert from "node:assert/strict";
import { Microsandbox } from "../../mod.ts";
import { type LocalCloud, startLocalCloud } from "../../src/testing/mod.ts";
import { denoDir } from "../_deno_dir.ts";
import { runChild } from "../runtimes/_child.ts";
import { ensureRuntimes } from "../runtimes/_install.ts";
import { type FakeJsr, publishRepo, startFakeJsr } from "./_fake_jsr.ts";
import { packNpmPackage } from "./_npm_package.ts";

const MAIN = new URL("./_consumer_main.ts", import.meta.url);

/** What the consumer's program prints once its command ran. */
const EXPECTED = { status: "running", code: 0, stdout: "installed\n" };

/** The bound of one install or run. */
const CHILD_TIMEOUT_MS = 180_000;

interface Consumer {
  dir: string;
  env: Record<string, string>;
}

/** A new project folder with the consumer's program and the cloud's variables. */
async function consumer(root: string, label: string, cloud: LocalCloud): Promise<Consumer> {
  const dir = `${root}/${label}`;
  await Deno.mkdir(dir);
  await Deno.copyFile(MAIN, `${dir}/main.ts`);
  return { dir, env: { MSB_API_URL: cloud.url, MSB_API_KEY: cloud.apiKey, NO_COLOR: "1" } };
}

/** Runs one step of a consumer's install or run; returns its stdout. */
async function step(who: Consumer, label: string, command: string, args: string[]) {
  const output = await runChild({
    label,
    command,
    args,
    env: who.env,
    cwd: who.dir,
    timeoutMs: CHILD_TIMEOUT_MS,
  });
  return output.stdout;
}

/** The program's JSON line, and no sandbox left on the cloud (`await using` removed it). */
async function assertRan(stdout: string, cloud: LocalCloud): Promise<void> {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  assert.deepEqual(JSON.parse(line), EXPECTED);
  const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
  assert.deepEqual((await msb.sandboxes.list()).sandboxes, []);
}

async function denoConsumer(root: string, cloud: LocalCloud, jsr: FakeJsr, mode: string) {
  const who = await consumer(root, `deno-${mode}`, cloud);
  await Deno.writeTextFile(`${who.dir}/deno.json`, JSON.stringify({ nodeModulesDir: mode }));
  who.env = { ...who.env, JSR_URL: jsr.url, DENO_DIR: `${who.dir}/.deno-dir` };
  await step(who, "deno add", Deno.execPath(), ["add", "jsr:@microsandbox/edge"]);
  const run = ["run", "--unstable-net", "--allow-net", "--allow-env", "main.ts"];
  await assertRan(await step(who, "deno run", Deno.execPath(), run), cloud);
}

async function npmStyleProject(root: string, label: string, cloud: LocalCloud, tgz: string) {
  const who = await consumer(root, label, cloud);
  await Deno.copyFile(tgz, `${who.dir}/package.tgz`);
  const manifest = {
    type: "module",
    dependencies: { "@microsandbox/edge": "file:./package.tgz" },
  };
  await Deno.writeTextFile(`${who.dir}/package.json`, JSON.stringify(manifest, null, 2));
  return who;
}

Deno.test("a consumer installs the package as the README says, from empty caches, and runs a command", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "msb-consumers-" });
  await using jsr = startFakeJsr();
  await using cloud = await startLocalCloud({ generation: "current" });
  try {
    const published = await publishRepo(jsr, denoDir());

    await t.step("Deno, nodeModulesDir auto (deno add jsr:@microsandbox/edge)", async () => {
      await denoConsumer(root, cloud, jsr, "auto");
    });

    await t.step("Deno, nodeModulesDir none (deno add jsr:@microsandbox/edge)", async () => {
      await denoConsumer(root, cloud, jsr, "none");
    });

    const runtimes = await ensureRuntimes();
    await Deno.mkdir(`${root}/pack`);
    const tgz = await packNpmPackage(published, runtimes.node, `${root}/pack`);

    await t.step("Bun 1.4 (bun install, bun main.ts)", async () => {
      const who = await npmStyleProject(root, "bun", cloud, tgz);
      who.env = { ...who.env, BUN_INSTALL_CACHE_DIR: `${who.dir}/.bun-cache` };
      await step(who, "bun install", runtimes.bun, ["install"]);
      await assertRan(await step(who, "bun", runtimes.bun, ["main.ts"]), cloud);
    });

    await t.step("Node 24 (npm install, node main.ts)", async () => {
      const who = await npmStyleProject(root, "node", cloud, tgz);
      const install = ["install", "--cache", `${who.dir}/.npm-cache`, "--no-audit", "--no-fund"];
      await step(who, "npm install", "npm", install);
      await assertRan(await step(who, "node", runtimes.node, ["main.ts"]), cloud);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
