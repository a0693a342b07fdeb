// The command policy over real HTTP against the local cloud: the `commands` hook sees the whole
// parsed request (env, cwd, user, stdin, terminal and time limit included), and callers may set
// env, cwd or user only where `commandFields` lists them, on exec and on the WebSocket route.
import assert from "node:assert/strict";
import { type CommandRequest, sandboxRoutes } from "../../src/hono/mod.ts";
import type { SandboxRoutesOptions } from "../../src/hono/mod.ts";
import {
  ACME,
  type AppSetup,
  appSetup,
  errorCode,
  eventually,
  json,
  processGone,
  rawUpgrade,
  running,
  type Tenant,
} from "./_app.ts";

/** A `commands` hook that allows exact command lines only, and remembers what it was asked. */
function allowList(...allowed: string[][]) {
  const asked: CommandRequest[] = [];
  const commands = (command: CommandRequest): boolean => {
    asked.push(command);
    const argv = [command.cmd, ...command.args];
    return allowed.some((line) =>
      line.length === argv.length && line.every((w, i) => w === argv[i])
    );
  };
  return { asked, commands };
}

/** Serves the routes over a cloud with one running sandbox, `acme-box`. */
async function withBox(options: Partial<SandboxRoutesOptions<Tenant>>): Promise<AppSetup> {
  const app = await appSetup(options);
  await running(app.env, "acme-box");
  return app;
}

/** A WebSocket URL of `acme-box`'s bridge with `query`. */
function wsPath(query: [string, string][]): string {
  return `/acme-box/ws?${new URLSearchParams(query)}`;
}

Deno.test("exec route: an allowed `bash -c 'echo ok'` with BASH_ENV=/dev/stdin and stdin is 403 forbidden, before any request", async () => {
  const policy = allowList(["bash", "-c", "echo ok"]);
  await using app = await withBox({ commands: policy.commands });
  const plain = await app.request(
    "/acme-box/exec",
    json(ACME, { cmd: "bash", args: ["-c", "echo ok"] }),
  );
  assert.equal((await plain.json()).stdout, "ok\n");
  const before = app.env.cloud.requests.length;
  const walkAround = {
    cmd: "bash",
    args: ["-c", "echo ok"],
    env: { BASH_ENV: "/dev/stdin" },
    stdin: "id -un",
  };
  const response = await app.request("/acme-box/exec", json(ACME, walkAround));
  const { error } = await response.json();
  assert.deepEqual([response.status, error.code], [403, "forbidden"], JSON.stringify(error));
  assert.match(error.message, /"env"/);
  assert.equal(app.env.cloud.requests.length, before);
  assert.equal(policy.asked.length, 1, "the hook never saw the refused request");
});

Deno.test("exec route: env, cwd and user are each 403 forbidden by default, naming the field, before the hook and any request", async () => {
  const policy = allowList(["pwd"]);
  await using app = await withBox({ commands: policy.commands });
  const before = app.env.cloud.requests.length;
  const cases: [object, string][] = [
    [{ env: { LD_PRELOAD: "/tmp/x.so" } }, "env"],
    [{ cwd: "/tmp" }, "cwd"],
    [{ cwd: "" }, "cwd"],
    [{ user: "root" }, "user"],
    [{ env: { A: "1" }, cwd: "/", user: "root" }, "env"],
  ];
  for (const [fields, field] of cases) {
    const response = await app.request("/acme-box/exec", json(ACME, { cmd: "pwd", ...fields }));
    const { error } = await response.json();
    assert.deepEqual([response.status, error.code], [403, "forbidden"], JSON.stringify(fields));
    assert.ok(error.message.includes(`"${field}"`), error.message);
  }
  assert.equal(app.env.cloud.requests.length, before);
  assert.deepEqual(policy.asked, []);
  const empty = await app.request("/acme-box/exec", json(ACME, { cmd: "pwd", env: {} }));
  assert.equal(empty.status, 200, "an empty env sets nothing");
});

Deno.test("ws route: env, cwd and user are each 403 forbidden by default, before the upgrade, the hook and any request", async () => {
  const policy = allowList(["pwd"]);
  await using app = await withBox({ commands: policy.commands });
  const before = app.env.cloud.requests.length;
  const cases: [[string, string][], string][] = [
    [[["env", "LD_PRELOAD=/tmp/x.so"]], "env"],
    [[["cwd", "/tmp"]], "cwd"],
    [[["cwd", ""]], "cwd"],
    [[["user", "root"]], "user"],
  ];
  for (const [query, field] of cases) {
    const [status, body] = await rawUpgrade(app, wsPath([["cmd", "pwd"], ...query]), ACME);
    const { error } = body as { error: { code: string; message: string } };
    assert.deepEqual([status, error.code], [403, "forbidden"], JSON.stringify(query));
    assert.ok(error.message.includes(`"${field}"`), error.message);
  }
  assert.equal(app.env.cloud.requests.length, before);
  assert.deepEqual(policy.asked, []);
});

Deno.test("exec route: env, cwd and user listed in commandFields reach the hook as the frozen parsed request, and the process", async () => {
  const script = 'pwd; printf "%s\\n" "$GREETING"; exec sleep 30';
  const policy = allowList(["sh", "-c", script]);
  await using app = await withBox({
    commands: policy.commands,
    commandFields: ["env", "cwd", "user"],
  });
  const body = {
    cmd: "sh",
    args: ["-c", script],
    env: { GREETING: "hello" },
    cwd: "/tmp",
    user: "nobody",
    stdin: "",
    timeoutMs: 20_000,
  };
  const response = await fetch(`${app.base}/acme-box/exec`, {
    method: "POST",
    headers: { ...ACME, accept: "application/x-ndjson", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200);
  const expected: CommandRequest = {
    route: "exec",
    cmd: "sh",
    args: ["-c", script],
    env: { GREETING: "hello" },
    cwd: "/tmp",
    user: "nobody",
    tty: false,
    stdin: true,
    timeoutMs: 20_000,
  };
  assert.deepEqual(policy.asked, [expected]);
  const [asked] = policy.asked;
  assert.ok(Object.isFrozen(asked) && Object.isFrozen(asked!.args) && Object.isFrozen(asked!.env));
  let stdout = "";
  let text = "";
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  while (!stdout.includes("hello\n")) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const lines = text.split("\n");
    text = lines.pop()!;
    for (const line of lines.filter((l) => l !== "")) {
      const event = JSON.parse(line);
      if (event.type === "stdout") stdout += event.data;
    }
  }
  assert.equal(stdout, "/tmp\nhello\n");
  assert.ok(app.env.cloud.processes().some((p) => p.cmd === "sh" && p.user === "nobody"));
  await reader.cancel();
  await processGone(app.env, "sh");
});

Deno.test("ws route: env, cwd and user listed in commandFields reach the hook as the frozen parsed request, and the process", async () => {
  const script = 'pwd; printf "%s\\n" "$GREETING"; exec cat';
  const policy = allowList(["sh", "-c", script]);
  await using app = await withBox({
    commands: policy.commands,
    commandFields: ["env", "cwd", "user"],
    maxExecMs: 30_000,
  });
  const query = wsPath([
    ["cmd", "sh"],
    ["arg", "-c"],
    ["arg", script],
    ["env", "GREETING=hello=world"],
    ["env", "EMPTY="],
    ["cwd", "/tmp"],
    ["user", "nobody"],
  ]);
  const socket = new WebSocket(`${app.base.replace("http", "ws")}${query}`, { headers: ACME });
  socket.binaryType = "arraybuffer";
  let stdout = "";
  socket.onmessage = (event) => {
    if (typeof event.data === "string") return;
    const bytes = new Uint8Array(event.data);
    if (bytes[0] === 1) stdout += new TextDecoder().decode(bytes.subarray(1));
  };
  const closed = new Promise((resolve) => socket.onclose = resolve);
  await eventually(() => stdout === "/tmp\nhello=world\n", "the bridge prints cwd and env");
  assert.ok(app.env.cloud.processes().some((p) => p.cmd === "sh" && p.user === "nobody"));
  const expected: CommandRequest = {
    route: "ws",
    cmd: "sh",
    args: ["-c", script],
    env: { GREETING: "hello=world", EMPTY: "" },
    cwd: "/tmp",
    user: "nobody",
    tty: false,
    stdin: true,
    timeoutMs: 30_000,
  };
  assert.deepEqual(policy.asked, [expected]);
  const [asked] = policy.asked;
  assert.ok(Object.isFrozen(asked) && Object.isFrozen(asked!.args) && Object.isFrozen(asked!.env));
  socket.close();
  await closed;
  await processGone(app.env, "sh");
});

Deno.test("the commands hook's false is 403 forbidden with no upstream request, on exec and ws, for an env value it refuses", async () => {
  const asked: CommandRequest[] = [];
  await using app = await withBox({
    commandFields: ["env"],
    commands: (command) => {
      asked.push(command);
      return command.cmd === "bash" && Object.keys(command.env).every((name) => name === "LANG");
    },
  });
  const before = app.env.cloud.requests.length;
  const exec = await app.request(
    "/acme-box/exec",
    json(ACME, { cmd: "bash", args: ["-c", "echo ok"], env: { BASH_ENV: "/dev/stdin" } }),
  );
  assert.deepEqual([exec.status, await errorCode(exec)], [403, "forbidden"]);
  const ws = await rawUpgrade(app, wsPath([["cmd", "bash"], ["env", "BASH_ENV=/dev/stdin"]]), ACME);
  assert.deepEqual(ws, [
    403,
    { error: { code: "forbidden", message: "This command is not allowed." } },
  ]);
  assert.equal(app.env.cloud.requests.length, before);
  assert.deepEqual(asked.map((command) => [command.route, command.env]), [
    ["exec", { BASH_ENV: "/dev/stdin" }],
    ["ws", { BASH_ENV: "/dev/stdin" }],
  ]);
  const allowed = await app.request(
    "/acme-box/exec",
    json(ACME, { cmd: "bash", args: ["-c", 'echo "$LANG"'], env: { LANG: "C" } }),
  );
  assert.equal((await allowed.json()).stdout, "C\n");
});

Deno.test("a commands hook of the old (cmd, args) signature gets an object and refuses", async () => {
  const old = ((cmd: string) => ["echo"].includes(cmd)) as unknown as (
    c: CommandRequest,
  ) => boolean;
  await using app = await withBox({ commands: old });
  const response = await app.request("/acme-box/exec", json(ACME, { cmd: "echo", args: ["hi"] }));
  assert.deepEqual([response.status, await errorCode(response)], [403, "forbidden"]);
});

Deno.test("ws route answers 400 invalid_request naming env for each bad env parameter, before any request", async () => {
  await using app = await withBox({ commandFields: ["env"] });
  const before = app.env.cloud.requests.length;
  const cases: [string, string][][] = [
    [["env", "NOEQUALS"]],
    [["env", "=value"]],
    [["env", "1A=x"]],
    [["env", "A-B=x"]],
    [["env", "A B=x"]],
    [["env", "A=1"], ["env", "A=2"]],
    Array.from({ length: 257 }, (_, i) => ["env", `V${i}=x`]),
    [["env", `BIG=${"x".repeat(32 * 1024)}`]],
  ];
  for (const env of cases) {
    const [status, body] = await rawUpgrade(app, wsPath([["cmd", "env"], ...env]), ACME);
    const { error } = body as { error: { code: string; message: string } };
    assert.deepEqual([status, error.code], [400, "invalid_request"], env[0]?.[1].slice(0, 20));
    assert.match(error.message, /^The query parameter env must /);
  }
  assert.equal(app.env.cloud.requests.length, before);
});

Deno.test("exec route answers 400 invalid_request naming env for a variable name a process would read differently", async () => {
  await using app = await withBox({ commandFields: ["env"] });
  const before = app.env.cloud.requests.length;
  for (const name of ["A=B", "", "1A", "A\nB", "A\0B"]) {
    const response = await app.request(
      "/acme-box/exec",
      json(ACME, { cmd: "env", env: { [name]: "x" } }),
    );
    const { error } = await response.json();
    assert.deepEqual([response.status, error.code], [400, "invalid_request"], JSON.stringify(name));
    assert.match(error.message, /^The field "env" must /);
  }
  const user = await app.request("/acme-box/exec", json(ACME, { cmd: "env", user: 1 }));
  assert.deepEqual([user.status, await errorCode(user)], [400, "invalid_request"]);
  assert.equal(app.env.cloud.requests.length, before);
});

Deno.test("sandboxRoutes refuses a commandFields that is not a list of env, cwd and user with a TypeError", () => {
  const authorize = () => ({ tenant: "acme" });
  for (const commandFields of ["env", ["env", "shell"], ["ENV"], [1], null, { env: true }]) {
    assert.throws(
      () => sandboxRoutes({ authorize, commandFields } as unknown as SandboxRoutesOptions),
      (error: unknown) =>
        error instanceof TypeError && /^sandboxRoutes: options\.commandFields /.test(error.message),
      JSON.stringify(commandFields),
    );
  }
  sandboxRoutes({ authorize, commandFields: [] });
  sandboxRoutes({ authorize, commandFields: ["env", "cwd", "user"] });
});
