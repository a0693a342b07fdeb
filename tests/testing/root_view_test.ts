// Each sandbox of the local cloud has its own root view under bubblewrap: the host's system
// directories read-only, its own folder for everything else. Through the client, on both wires;
// the folder itself through the process layer; the fallback as the CLI and the cloud report it.
import assert from "node:assert/strict";
import type { Sandbox } from "../../mod.ts";
import { ExecHost } from "../../src/testing/exec/_exec_host.ts";
import { locateGuestPath } from "../../src/testing/sandbox_dir/_guest_paths.ts";
import { chooseIsolation } from "../../src/testing/exec/_isolation.ts";
import { startLocalCloud } from "../../src/testing/mod.ts";
import { GENERATIONS, setup } from "../_cloud.ts";
import { ensureBubblewrap } from "../_debian_package.ts";
import { denoDir } from "../_deno_dir.ts";
import { execRequest } from "./_exec_client.ts";

await ensureBubblewrap();

type Env = Awaited<ReturnType<typeof setup>>;

/** A local cloud whose commands must run under bubblewrap (it fails to start otherwise). */
function rooted(wire: (typeof GENERATIONS)[number]): Promise<Env> {
  return setup(wire, {}, { isolation: "bubblewrap" });
}

async function running(env: Env, name: string, workdir?: string): Promise<Sandbox> {
  const sandbox = await env.msb.sandboxes.create({
    name,
    image: "alpine",
    ...(workdir ? { workdir } : {}),
  });
  while (sandbox.status !== "running") {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sandbox.refresh();
  }
  return sandbox;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Runs `fn`, then removes from the host what of `paths` `fn` created (a failed run must not litter). */
async function guardingHost(paths: string[], fn: () => Promise<void>): Promise<void> {
  const before = await Promise.all(paths.map(exists));
  try {
    await fn();
  } finally {
    for (const [i, path] of paths.entries()) {
      if (!before[i] && await exists(path)) await Deno.remove(path, { recursive: true });
    }
  }
}

for (const wire of GENERATIONS) {
  Deno.test(`local cloud (bubblewrap): mkdir -p /app stays in the sandbox, not on the host (${wire})`, async () => {
    const file = `/app/f-${crypto.randomUUID()}`;
    await guardingHost(["/app", file], async () => {
      await using env = await rooted(wire);
      assert.equal(env.cloud.isolation, "bubblewrap");
      assert.equal(env.cloud.isolationShortfall, null);
      const sandbox = await running(env, "app");
      const made = await sandbox.shell(`mkdir -p /app && echo x > ${file}`);
      assert.deepEqual([made.code, made.stderrText()], [0, ""]);
      assert.equal(await exists(file), false, "the host's /app got the file");
      assert.equal((await sandbox.exec("cat", [file])).stdoutText(), "x\n");
    });
  });

  Deno.test(`local cloud (bubblewrap): workdir "/work" is the sandbox's own (${wire})`, async () => {
    const name = `here-${crypto.randomUUID()}`;
    await guardingHost([`/work/${name}`], async () => {
      await using env = await rooted(wire);
      const sandbox = await running(env, "worker", "/work");
      const out = await sandbox.shell(`pwd; touch ${name}; ls /work`);
      assert.deepEqual([out.code, out.stdoutText(), out.stderrText()], [
        0,
        `/work\n${name}\n`,
        "",
      ]);
      assert.equal(await exists(`/work/${name}`), false, "the file went to the host's /work");
      const explicit = await sandbox.exec("pwd", [], { cwd: "/work" });
      assert.equal(explicit.stdoutText(), "/work\n");
    });
  });

  Deno.test(`local cloud (bubblewrap): two sandboxes do not see each other's files (${wire})`, async () => {
    const [secret, data] = [`/tmp/secret-${crypto.randomUUID()}`, `/data-${crypto.randomUUID()}`];
    await guardingHost([secret, data], async () => {
      await using env = await rooted(wire);
      const [a, b] = [await running(env, "a"), await running(env, "b")];
      const wrote = await a.shell(`echo secret > ${secret} && mkdir ${data} && echo a > ${data}/a`);
      assert.equal(wrote.code, 0);
      const looked = await b.shell(`ls -A /tmp; test -e ${secret} || echo no-secret; ls ${data}`);
      assert.equal(looked.stdoutText(), "no-secret\n");
      assert.match(looked.stderrText(), /data-.*No such file or directory/);
      const read = await a.exec("cat", [secret, `${data}/a`]);
      assert.equal(read.stdoutText(), "secret\na\n");
    });
  });

  Deno.test(`local cloud (bubblewrap): /usr and /etc are the host's, read-only (${wire})`, async () => {
    const usr = `/usr/msb-write-${crypto.randomUUID()}`;
    const etc = `/etc/msb-write-${crypto.randomUUID()}`;
    await guardingHost([usr, etc], async () => {
      await using env = await rooted(wire);
      const sandbox = await running(env, "ro");
      for (const probe of [usr, etc]) {
        const touched = await sandbox.shell(`touch ${probe}`);
        assert.notEqual(touched.code, 0);
        assert.match(touched.stderrText(), /Read-only file system/);
        assert.equal(await exists(probe), false);
      }
      const host = await Deno.readTextFile("/etc/os-release");
      assert.equal((await sandbox.exec("cat", ["/etc/os-release"])).stdoutText(), host);
    });
  });
}

Deno.test("process layer (bubblewrap): a sandbox's files land in its folder, where _guest_paths maps them", async () => {
  const host = await chooseIsolation("bubblewrap");
  assert.ok(!("refused" in host), "refused" in host ? host.refused : "");
  const exec = new ExecHost(host);
  const [app, tmp] = [`/app/${crypto.randomUUID()}`, `/tmp/t-${crypto.randomUUID()}`];
  await guardingHost(["/app", app, tmp], async () => {
    let out = "";
    const script = `mkdir -p /app && echo x > ${app} && echo t > ${tmp} && echo $HOME`;
    const started = await exec.spawn(
      "sb",
      execRequest("sh", ["-c", script]),
      (_stream, data) => Promise.resolve(void (out += new TextDecoder().decode(data))),
    );
    assert.ok("process" in started);
    assert.deepEqual(await started.process.ended, { code: 0 });
    assert.equal(out, "/root\n");
    const dir = await exec.dirs.path("sb");
    const inFolder = await exec.dirs.resolve("sb", app);
    assert.deepEqual(inFolder, { path: `${dir}${app}`, readOnly: false });
    assert.equal(await Deno.readTextFile(inFolder.path), "x\n");
    assert.equal(await Deno.readTextFile((await exec.dirs.resolve("sb", tmp)).path), "t\n");
    assert.equal(await exists(app), false);
    assert.deepEqual(await exec.dirs.resolve("sb", "/usr/bin/../bin/sh"), {
      path: "/usr/bin/sh",
      readOnly: true,
    });
  }).finally(() => exec.close());
});

Deno.test("locateGuestPath maps guest paths: system entries to the host, the rest into the folder", () => {
  assert.deepEqual(locateGuestPath("/d", null), { path: "/d", readOnly: false });
  assert.deepEqual(locateGuestPath("/d", "/"), { path: "/d", readOnly: false });
  assert.deepEqual(locateGuestPath("/d", "work/x/"), { path: "/d/work/x", readOnly: false });
  assert.deepEqual(locateGuestPath("/d", "/a/../../b/./c"), { path: "/d/b/c", readOnly: false });
  assert.deepEqual(locateGuestPath("/d", "/etc/hosts"), { path: "/etc/hosts", readOnly: true });
  assert.deepEqual(locateGuestPath("/d", "/usr/../root"), { path: "/d/root", readOnly: false });
  assert.deepEqual(locateGuestPath("/d", "/usrx"), { path: "/d/usrx", readOnly: false });
});

Deno.test("startLocalCloud reports a lesser isolation that was asked for", async () => {
  await using cloud = await startLocalCloud({ isolation: "namespaces" });
  assert.equal(cloud.isolation, "namespaces");
  assert.equal(
    cloud.isolationShortfall,
    'No root view per sandbox: isolation "namespaces" was asked for; commands get their own ' +
      "namespaces but see the host's file system",
  );
});

/**
 * Runs `deno args` with a `PATH` that has every helper tool but `bwrap`, as on a host without
 * it, until it exits or (then stopped with SIGTERM) until its output contains `until`.
 */
async function withoutBwrap(args: string[], until?: string): Promise<string> {
  const bin = await Deno.makeTempDir({ prefix: "msb-no-bwrap-" });
  try {
    for (const tool of ["unshare", "perl", "script", "prlimit", "stty", "sh"]) {
      const found = await new Deno.Command("sh", { args: ["-c", `command -v ${tool}`] }).output();
      const path = new TextDecoder().decode(found.stdout).trim();
      if (path) await Deno.symlink(path, `${bin}/${tool}`);
    }
    const child = new Deno.Command(Deno.execPath(), {
      args,
      env: { PATH: bin, DENO_DIR: denoDir() },
      clearEnv: true,
      cwd: new URL("../..", import.meta.url),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const out = child.stdout.pipeThrough(new TextDecoderStream()).values();
    let text = "";
    while (until === undefined || !text.includes(until)) {
      const next = await out.next();
      if (next.done) break;
      text += next.value;
    }
    if (until !== undefined) child.kill("SIGTERM");
    for (let next = await out.next(); !next.done; next = await out.next()) text += next.value;
    text += new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
    await child.status;
    return text;
  } finally {
    await Deno.remove(bin, { recursive: true });
  }
}

Deno.test("deno task cloud says it falls back to namespaces where bwrap is missing", async () => {
  const cli = new URL("../../src/testing/cli.ts", import.meta.url).pathname;
  const out = await withoutBwrap(["run", "-A", cli], "security boundary");
  assert.match(
    out,
    /^# commands run with isolation "namespaces": each command has its own user, pid, mount and network namespaces, but works on the host's file system/m,
  );
  assert.match(
    out,
    /^# No root view per sandbox: bubblewrap is not installed \(`apt-get install bubblewrap`\); commands get their own namespaces but see the host's file system$/m,
  );
  assert.match(out, /^# this is a development tool, not a security boundary/m);
});

Deno.test("startLocalCloud refuses isolation bubblewrap where bwrap is missing", async () => {
  const mod = new URL("../../src/testing/mod.ts", import.meta.url).href;
  const script = `import { startLocalCloud } from ${JSON.stringify(mod)};
    await startLocalCloud({ isolation: "bubblewrap" }).catch((e) => console.log(e.name, e.message));
    await using auto = await startLocalCloud();
    console.log(JSON.stringify([auto.isolation, auto.isolationShortfall]));`;
  const out = await withoutBwrap(["eval", script]);
  assert.match(
    out,
    /^Error Cannot isolate commands with bubblewrap here: bubblewrap is not installed \(`apt-get install bubblewrap`\); use isolation "auto" or "none"$/m,
  );
  assert.match(out, /^\["namespaces","No root view per sandbox: bubblewrap is not installed/m);
});
