import assert from "node:assert/strict";
import { InvalidConfigError } from "../../mod.ts";
import { buildExecRequest } from "../../src/exec/_exec_request.ts";

const SPEC = {
  name: "n",
  image: "alpine",
  env: { A: "1", B: "2", C: "3" },
  workdir: "/app",
  user: "runner",
};

Deno.test("buildExecRequest drops overridden sandbox env entries and appends the overrides", () => {
  const request = buildExecRequest(SPEC, "env", [], { env: { B: "x", D: "4" } });
  assert.deepEqual(request.env, ["A=1", "C=3", "B=x", "D=4"]);
});

Deno.test("buildExecRequest takes cwd and user from the options, the sandbox, then defaults", () => {
  const fromSpec = buildExecRequest(SPEC, "pwd", [], {});
  assert.deepEqual([fromSpec.cwd, fromSpec.user], ["/app", "runner"]);
  const fromOptions = buildExecRequest(SPEC, "pwd", [], { cwd: "/tmp", user: "root" });
  assert.deepEqual([fromOptions.cwd, fromOptions.user], ["/tmp", "root"]);
  const bare = buildExecRequest({ name: "n", image: "i" }, "pwd", ["-P"], {});
  assert.deepEqual(bare, {
    cmd: "pwd",
    args: ["-P"],
    env: [],
    cwd: "/",
    user: null,
    tty: false,
    rows: 24,
    cols: 80,
    rlimits: [],
  });
});

Deno.test("buildExecRequest adds TERM for terminals unless the env has one", () => {
  assert.ok(buildExecRequest(SPEC, "sh", [], { tty: true }).env.includes("TERM=xterm"));
  const own = buildExecRequest(SPEC, "sh", [], { tty: true, env: { TERM: "vt100" } }).env;
  assert.deepEqual(own.filter((entry) => entry.startsWith("TERM=")), ["TERM=vt100"]);
  assert.ok(!buildExecRequest(SPEC, "sh", [], {}).env.some((entry) => entry.startsWith("TERM=")));
});

Deno.test("buildExecRequest refuses bad rlimits, sizes and commands with InvalidConfigError", () => {
  const rlimits = [{ resource: "nofile" as const, soft: 10, hard: 5 }];
  assert.throws(
    () => buildExecRequest(SPEC, "sh", [], { rlimits }),
    (error: unknown) =>
      error instanceof InvalidConfigError &&
      error.message === "rlimit nofile: soft (10) must not exceed hard (5)",
  );
  assert.throws(() => buildExecRequest(SPEC, "sh", [], { rows: 0 }), InvalidConfigError);
  assert.throws(() => buildExecRequest(SPEC, "sh", [], { cols: 70000 }), InvalidConfigError);
  for (const timeout of [0, -1, NaN, 2 ** 31]) {
    assert.throws(() => buildExecRequest(SPEC, "sh", [], { timeout }), {
      name: "InvalidConfigError",
      message: `timeout must be a positive number up to 2147483647, got ${timeout}`,
    });
  }
  assert.throws(() => buildExecRequest(SPEC, "", [], {}), InvalidConfigError);
  const ok = buildExecRequest(SPEC, "sh", [], {
    rlimits: [{ resource: "nofile", soft: 5, hard: 10 }],
  });
  assert.deepEqual(ok.rlimits, [{ resource: "nofile", soft: 5, hard: 10 }]);
});
