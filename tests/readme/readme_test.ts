// Runs README.md's TypeScript snippets, each on the runtimes its section claims, against a local
// cloud of its own (MSB_API_URL and MSB_API_KEY set for the child), so that a snippet that breaks
// fails the suite. Every snippet is copied as written into a folder inside the repository, where
// Deno resolves `@microsandbox/edge` to this workspace; for Bun, whose resolver knows no package
// of that name here, its `@microsandbox/edge` specifiers become the URLs of the modules deno.json
// exports (nothing else changes). How each runs:
// - scripts (Quickstart, Running commands, The local cloud): `deno run --unstable-net -A`, and
//   `bun <file>` where the section claims Bun;
// - fetch handlers (`export default { fetch }` or a Hono app: Logs, Hono adapter): `deno serve`
//   as is; on Bun, the default export handed to `Bun.serve` on 127.0.0.1, port 0 (what `bun
//   <file>` does, on a port of its choosing); on Workers (Quickstart's Worker, Logs), bundled with
//   `deno bundle` the way a Worker is deployed and loaded into workerd through miniflare, with the
//   cloud's variables as bindings, since `wrangler deploy` needs the network;
// - Typed clients, which needs a deployed app to call: type-checked with `deno check` only.

import assert from "node:assert/strict";
import { Microsandbox } from "../../mod.ts";
import { type LocalCloud, startLocalCloud } from "../../src/testing/mod.ts";
import { bundleWorker } from "../runtimes/_bundle_worker.ts";
import { resultOf, runChild } from "../runtimes/_child.ts";
import { ensureRuntimes, REPO } from "../runtimes/_install.ts";
import { startServer } from "../runtimes/_server.ts";
import { ask, type SnippetAnswer, type SnippetRequest } from "./_requests.ts";
import { readmeSnippets, type Snippet, withLocalImports } from "./_snippets.ts";

type Runtime = "deno" | "bun" | "workerd";

/** How a section's snippet is proven. */
type Proof =
  | { kind: "script"; runtimes: Runtime[]; prints: RegExp[] }
  | {
    kind: "handler";
    runtimes: Runtime[];
    /** Puts what the handler reads on the cloud first. */
    seed?: (msb: Microsandbox) => Promise<void>;
    requests: SnippetRequest[];
    answers: (cloud: LocalCloud) => SnippetAnswer[] | ((answers: SnippetAnswer[]) => void);
  }
  | { kind: "check" };

/** A sandbox named `build-42` that has printed `logged` once. */
async function build42(msb: Microsandbox): Promise<void> {
  const sandbox = await msb.sandboxes.create({ name: "build-42", image: "python" });
  assert.equal((await sandbox.exec("echo", ["logged"])).stdoutText(), "logged\n");
}

/** The file the File routes snippet's requests move, and the token its app accepts. */
const FILE = "/api/sandboxes/acme-1/files/workspace/report.csv";
const APP_TOKEN = { authorization: "Bearer app-token" };

/** The Preview routes snippet's route to port 8000 of `acme-web`. */
const PREVIEW = "/api/sandboxes/acme-web/ports/8000";

/** A sandbox named `acme-web` whose `python3 -m http.server` listens on port 8000. */
async function pythonServer(msb: Microsandbox): Promise<void> {
  const sandbox = await msb.sandboxes.create({ name: "acme-web", image: "python" });
  await sandbox.spawn("python3", ["-m", "http.server", "8000", "-b", "127.0.0.1"]);
  for (;;) {
    const socket = sandbox.connect(8000);
    const up = await socket.opened.then(() => true, () => false);
    await socket.close();
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every section with a `ts` snippet, and how its one snippet is proven. */
const PROOFS: Record<string, Proof> = {
  "Quickstart > Deno": {
    kind: "script",
    runtimes: ["deno", "bun"], // "### Bun: The same code"
    prints: [/^running$/m, /^build-42 running$/m],
  },
  "Quickstart > Cloudflare Workers": {
    kind: "handler",
    runtimes: ["workerd"],
    seed: build42,
    requests: [{ path: "/?name=build-42" }, { path: "/?name=build-43" }],
    answers: () => [
      { status: 200, body: JSON.stringify({ name: "build-42", status: "running" }) },
      { status: 404, body: "no such sandbox" },
    ],
  },
  "Sandboxes": {
    kind: "script",
    runtimes: ["deno", "bun"], // "### Bun: The same code"
    prints: [/^ready$/m, /^running$/m],
  },
  "Sandboxes > The whole spec": {
    kind: "script",
    runtimes: ["deno"],
    prints: [/^deny$/m, /^running$/m, /^destroyed$/m],
  },
  "Account": {
    kind: "script",
    runtimes: ["deno"],
    prints: [/^Local Cloud \(local-cloud\) since \d{4}-/m, /^owner@local-cloud\.test owner$/m],
  },
  "Account > Quotas and usage": {
    kind: "script",
    runtimes: ["deno"],
    prints: [/^1 sandbox\(es\), some vCPU-hours$/m, /^metered true$/m],
  },
  "Account > Audit events": {
    kind: "script",
    runtimes: ["deno"],
    prints: [
      /^sandbox_created audited api_key\nsandbox_deleted audited api_key$/m,
      /^true$/m,
      /^no such event \(404\)$/m,
    ],
  },
  "Volumes": {
    kind: "script",
    runtimes: ["deno"],
    prints: [
      /^id,value\n1,42$/m,
      /^\/raw\/data\.csv 14$/m,
      /^\/raw\/hello\.txt 6$/m,
      /^20$/m,
      /^gone$/m,
    ],
  },
  "Running commands": {
    kind: "script",
    runtimes: ["deno", "bun"],
    prints: [/^0 42$/m, /^CI=1$/m, /^hello$/m, /code: 0,\s*success: true/],
  },
  "Files": {
    kind: "script",
    runtimes: ["deno"],
    prints: [/^hi$/m, /^8388608 8388608$/m],
  },
  "Ports": {
    kind: "script",
    runtimes: ["deno"],
    prints: [/^HTTP\/1\.0 200 OK$/m],
  },
  "Ports > HTTP with sandbox.fetch": {
    kind: "script",
    runtimes: ["deno"],
    prints: [/^200 text\/html$/m, /^<h1>hello<\/h1>$/m, /^301 \/docs\/$/m],
  },
  // Typed only: it needs a WebSocket server in the sandbox (tests/tcp/web_socket_test.ts runs one).
  "Ports > WebSockets with sandbox.webSocket": { kind: "check" },
  "Logs": {
    kind: "handler",
    runtimes: ["deno", "bun", "workerd"], // "In any fetch handler (Deno, Bun, Workers, Hono)"
    seed: build42,
    requests: [{ path: "/", headers: { accept: "text/event-stream" }, until: "logged" }],
    answers: () => ([answer]) => {
      assert.equal(answer?.status, 200, answer?.body);
      assert.match(answer?.body ?? "", /^event: log$/m);
      assert.match(answer?.body ?? "", /^data: .*"text":"logged\\n"/m);
    },
  },
  "Hono adapter": {
    kind: "handler",
    runtimes: ["deno"], // it imports `hono/deno`
    requests: [{ path: "/api/whoami" }],
    answers: (cloud) => [{ status: 200, body: cloud.url }],
  },
  "Hono adapter > File routes": {
    kind: "handler",
    runtimes: ["deno"],
    seed: async (msb) => {
      await msb.sandboxes.create({ name: "acme-1", image: "alpine", workdir: "/workspace" });
    },
    requests: [
      { path: FILE, method: "PUT", headers: APP_TOKEN, body: "id,value\n1,42\n" },
      { path: FILE, headers: APP_TOKEN },
      { path: FILE, headers: { ...APP_TOKEN, range: "bytes=0-1" } },
      { path: "/api/sandboxes/acme-1/files/workspace?list", headers: APP_TOKEN },
      { path: "/api/sandboxes/acme-1/files/etc/passwd", headers: APP_TOKEN },
      { path: "/api/sandboxes/acme-1/files/data/x", headers: APP_TOKEN },
      { path: FILE, method: "DELETE", headers: APP_TOKEN },
      { path: FILE, headers: APP_TOKEN },
    ],
    answers: () => ([put, get, range, list, etc, data, remove, gone]) => {
      assert.equal(put?.status, 200, put?.body);
      assert.equal(JSON.parse(put!.body).size, 14);
      assert.deepEqual([get?.status, get?.body], [200, "id,value\n1,42\n"]);
      assert.deepEqual([range?.status, range?.body], [206, "id"]);
      assert.match(list?.body ?? "", /"path":"\/workspace\/report\.csv"/);
      assert.equal(etc?.status, 403);
      assert.match(etc?.body ?? "", /files policy/);
      assert.equal(data?.status, 404, "reads under /data pass the policy (no such file)");
      assert.equal(remove?.status, 204);
      assert.equal(gone?.status, 404);
    },
  },
  "Hono adapter > Preview routes": {
    kind: "handler",
    runtimes: ["deno"],
    seed: pythonServer,
    requests: [
      { path: `${PREVIEW}/`, headers: APP_TOKEN },
      { path: PREVIEW, headers: APP_TOKEN },
      { path: `${PREVIEW}/`, method: "POST", headers: APP_TOKEN, body: "x" },
      { path: "/api/sandboxes/acme-web/ports/9000/", headers: APP_TOKEN },
      { path: `${PREVIEW}/` },
      { path: "/elsewhere" },
    ],
    answers: () => ([page, bare, post, other, anonymous, elsewhere]) => {
      assert.equal(page?.status, 200, page?.body);
      assert.match(page?.body ?? "", /Directory listing for \//);
      assert.equal(bare?.status, 200, "the bare port redirects to its /");
      assert.equal(post?.status, 403, "the policy allows GET and HEAD only");
      assert.equal(other?.status, 403);
      assert.equal(anonymous?.status, 401);
      assert.equal(elsewhere?.status, 404);
    },
  },
  "Hono adapter > Typed clients": { kind: "check" },
  "The local cloud": {
    kind: "script",
    runtimes: ["deno"], // "(Deno only)"
    prints: [/"GET [^"]*\/v1\/sandboxes[^"]*"/],
  },
};

const CHILD_TIMEOUT_MS = 90_000;

/** Where a snippet's server says it listens (`deno serve` on stderr, Bun's URL on stdout). */
const ORIGIN = /(http:\/\/127\.0\.0\.1:\d+)/;

/** A folder inside the repository for the snippets' files, removed afterwards. */
async function snippetDir(): Promise<string> {
  return await Deno.makeTempDir({ dir: `${REPO}/tests/readme`, prefix: ".snippets-" });
}

async function writeSnippet(dir: string, name: string, code: string): Promise<string> {
  const path = `${dir}/${name}.ts`;
  await Deno.writeTextFile(path, code);
  return path;
}

function cloudEnv(cloud: LocalCloud): Record<string, string> {
  return { MSB_API_URL: cloud.url, MSB_API_KEY: cloud.apiKey, NO_COLOR: "1" };
}

async function runScript(
  snippet: Snippet,
  runtime: Runtime,
  dir: string,
  cloud: LocalCloud,
): Promise<string> {
  const run = runtime === "deno"
    ? {
      label: "deno run",
      command: Deno.execPath(),
      args: ["run", "--unstable-net", "-A", await writeSnippet(dir, "script", snippet.code)],
    }
    : {
      label: "bun",
      command: (await ensureRuntimes()).bun,
      args: [await writeSnippet(dir, "script_bun", await withLocalImports(snippet.code))],
    };
  const env = cloudEnv(cloud);
  return (await runChild({ ...run, env, cwd: REPO, timeoutMs: CHILD_TIMEOUT_MS })).stdout;
}

async function serveOn(
  snippet: Snippet,
  runtime: Runtime,
  dir: string,
  cloud: LocalCloud,
  requests: SnippetRequest[],
): Promise<SnippetAnswer[]> {
  if (runtime === "workerd") return await inWorkerd(snippet, dir, cloud, requests);
  let run;
  if (runtime === "deno") {
    const file = await writeSnippet(dir, "handler", snippet.code);
    const args = ["serve", "--unstable-net", "-A", "--host", "127.0.0.1", "--port", "0", file];
    run = { label: "deno serve", command: Deno.execPath(), args };
  } else {
    const file = await writeSnippet(dir, "handler_bun", await withLocalImports(snippet.code));
    const serve = `import app from ${JSON.stringify(new URL(`file://${file}`).href)};
      const server = Bun.serve({ ...app, hostname: "127.0.0.1", port: 0 });
      console.log(server.url.href);`;
    run = { label: "bun", command: (await ensureRuntimes()).bun, args: ["--eval", serve] };
  }
  const env = { ...Deno.env.toObject(), ...cloudEnv(cloud) };
  await using running = await startServer({ ...run, env, cwd: REPO, listening: ORIGIN });
  return await ask((path, init) => fetch(`${running.origin}${path}`, init), requests);
}

async function inWorkerd(
  snippet: Snippet,
  dir: string,
  cloud: LocalCloud,
  requests: SnippetRequest[],
): Promise<SnippetAnswer[]> {
  const bundle = await bundleWorker(dir, await writeSnippet(dir, "worker", snippet.code));
  const runtimes = await ensureRuntimes();
  const output = await runChild({
    label: "miniflare on node",
    command: runtimes.node,
    args: [
      "tests/readme/_miniflare_fetch.ts",
      bundle,
      runtimes.miniflare,
      JSON.stringify(requests),
    ],
    env: cloudEnv(cloud),
    cwd: REPO,
    timeoutMs: CHILD_TIMEOUT_MS,
  });
  return resultOf<SnippetAnswer[]>(output, "miniflare");
}

async function prove(snippet: Snippet, proof: Proof, runtime: Runtime | undefined) {
  const dir = await snippetDir();
  try {
    await using cloud = await startLocalCloud({ generation: "current" });
    if (proof.kind === "check") {
      const file = await writeSnippet(dir, "typed", snippet.code);
      await runChild({
        label: "deno check",
        command: Deno.execPath(),
        args: ["check", file],
        cwd: REPO,
        timeoutMs: CHILD_TIMEOUT_MS,
      });
    } else if (proof.kind === "script") {
      const stdout = await runScript(snippet, runtime!, dir, cloud);
      for (const pattern of proof.prints) assert.match(stdout, pattern);
    } else {
      await proof.seed?.(new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url }));
      const answers = await serveOn(snippet, runtime!, dir, cloud, proof.requests);
      const expected = proof.answers(cloud);
      if (typeof expected === "function") expected(answers);
      else assert.deepEqual(answers, expected);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const SNIPPETS = await readmeSnippets();

Deno.test("every TypeScript snippet of the README is proven here, one per section", () => {
  assert.deepEqual(SNIPPETS.map((snippet) => snippet.section), Object.keys(PROOFS));
});

for (const snippet of SNIPPETS) {
  const proof = PROOFS[snippet.section];
  if (!proof) continue; // the test above fails for it
  Deno.test(`README "${snippet.section}" snippet`, async (t) => {
    if (proof.kind === "check") return await prove(snippet, proof, undefined);
    for (const runtime of proof.runtimes) {
      await t.step(`on ${runtime}`, () => prove(snippet, proof, runtime));
    }
  });
}
