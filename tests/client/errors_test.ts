import assert from "node:assert/strict";
import {
  AuthenticationError,
  CloudHttpError,
  ConflictError,
  InvalidConfigError,
  Microsandbox,
  type MicrosandboxError,
  type MicrosandboxErrorKind,
  OutputLimitError,
  RateLimitedError,
  RuntimeError,
  type Sandbox,
  SandboxAlreadyExistsError,
  SandboxFsOpsError,
  SandboxNotFoundError,
  SandboxNotRunningError,
  VolumeAlreadyExistsError,
  VolumeNotFoundError,
} from "../../mod.ts";
import { GENERATIONS, type Setup, setup } from "../_cloud.ts";

type ErrorClass = new (...args: never[]) => MicrosandboxError;

/** One row of the mapping: what the server answers, and the kind and message it must give. */
interface Row {
  status: number;
  code?: string;
  body?: string;
  kind: MicrosandboxErrorKind;
  type: ErrorClass;
  message: string;
}

const GET = "GET /v1/sandboxes/by-name/:name";

// The seed's table (protocol.md §2.7), code first then status, plus our kinds for 401/403, 429
// and 409 outside create; each row answered by the local cloud to a real GET.
const ROWS: Row[] = [
  {
    status: 400,
    code: "sandbox_not_found",
    kind: "SandboxNotFound",
    type: SandboxNotFoundError,
    message: `${GET}: injected`,
  },
  {
    status: 500,
    code: "name_already_exists",
    kind: "SandboxAlreadyExists",
    type: SandboxAlreadyExistsError,
    message: `${GET}: injected`,
  },
  {
    status: 500,
    code: "invalid_request",
    kind: "InvalidConfig",
    type: InvalidConfigError,
    message: `${GET}: injected`,
  },
  {
    status: 500,
    code: "invalid_sandbox_config",
    kind: "InvalidConfig",
    type: InvalidConfigError,
    message: `${GET}: injected`,
  },
  {
    status: 500,
    code: "orchestrator_unreachable",
    kind: "Runtime",
    type: RuntimeError,
    message: `${GET}: injected`,
  },
  {
    status: 500,
    code: "nomad_job_failed",
    kind: "Runtime",
    type: RuntimeError,
    message: `${GET}: injected`,
  },
  {
    status: 401,
    code: "sandbox_not_found",
    kind: "SandboxNotFound",
    type: SandboxNotFoundError,
    message: `${GET}: injected`,
  },
  {
    status: 400,
    code: "something_new",
    kind: "InvalidConfig",
    type: InvalidConfigError,
    message: `${GET}: injected`,
  },
  {
    status: 422,
    code: "something_new",
    kind: "InvalidConfig",
    type: InvalidConfigError,
    message: `${GET}: injected`,
  },
  {
    status: 404,
    code: "route_missing",
    kind: "SandboxNotFound",
    type: SandboxNotFoundError,
    message: `${GET}: injected`,
  },
  { status: 409, code: "busy", kind: "Conflict", type: ConflictError, message: `${GET}: injected` },
  {
    status: 502,
    code: "bad_gateway",
    kind: "Runtime",
    type: RuntimeError,
    message: `${GET}: injected`,
  },
  {
    status: 401,
    code: "invalid_api_key",
    kind: "Authentication",
    type: AuthenticationError,
    message: `${GET}: injected`,
  },
  {
    status: 403,
    code: "forbidden",
    kind: "Authentication",
    type: AuthenticationError,
    message: `${GET}: injected`,
  },
  {
    status: 429,
    code: "rate_limited",
    kind: "RateLimited",
    type: RateLimitedError,
    message: `${GET}: injected`,
  },
  {
    status: 500,
    code: "internal_error",
    kind: "CloudHttp",
    type: CloudHttpError,
    message: `${GET}: injected`,
  },
  {
    status: 503,
    code: "service_unavailable",
    kind: "CloudHttp",
    type: CloudHttpError,
    message: `${GET}: injected`,
  },
  {
    status: 500,
    code: "volume_not_found",
    kind: "VolumeNotFound",
    type: VolumeNotFoundError,
    message: `${GET}: injected`,
  },
  {
    status: 500,
    code: "volume_file_not_found",
    kind: "CloudHttp",
    type: CloudHttpError,
    message: `${GET}: injected`,
  },
  {
    status: 500,
    code: "invalid_volume_path",
    kind: "InvalidConfig",
    type: InvalidConfigError,
    message: `${GET}: injected`,
  },
  {
    status: 500,
    code: "constructor",
    kind: "CloudHttp",
    type: CloudHttpError,
    message: `${GET}: injected`,
  },
  {
    status: 418,
    body: '{"code":"teapot","message":"flat shape"}',
    kind: "CloudHttp",
    type: CloudHttpError,
    message: `${GET}: flat shape`,
  },
  {
    status: 500,
    body: "  upstream exploded\n",
    kind: "CloudHttp",
    type: CloudHttpError,
    message: `${GET}: upstream exploded`,
  },
  {
    status: 500,
    body: "",
    kind: "CloudHttp",
    type: CloudHttpError,
    message: `${GET}: no response body`,
  },
];

for (const wire of GENERATIONS) {
  Deno.test(`HTTP errors map to their kinds, code first then status (${wire})`, async () => {
    await using env = await setup(wire, { retry: false });
    for (const row of ROWS) {
      env.cloud.faults.failNext(1, {
        status: row.status,
        ...(row.code && { code: row.code, message: "injected" }),
        ...(row.body !== undefined && { body: row.body }),
      });
      const label = `${row.status} ${row.code ?? row.body}`;
      await assert.rejects(env.msb.sandboxes.get("any"), (error: unknown) => {
        assert.ok(error instanceof row.type, `${label}: ${error}`);
        assert.equal(error.kind, row.kind, label);
        assert.equal(error.message, row.message, label);
        assert.equal(error.status, row.status, label);
        assert.equal(
          error.code,
          row.code ?? (row.body?.includes("teapot") ? "teapot" : undefined),
          label,
        );
        assert.equal(error.operation, GET, label);
        assert.equal(
          error.body,
          row.body ??
            JSON.stringify({ error: { code: row.code, message: "injected", details: null } }),
          label,
        );
        return true;
      });
    }
  });

  Deno.test(`A 409 on create means the name is taken; elsewhere it is a conflict (${wire})`, async () => {
    await using env = await setup(wire);
    await env.msb.sandboxes.create({ name: "twice", image: "alpine" }, { start: false });
    await assert.rejects(
      env.msb.sandboxes.create({ name: "twice", image: "alpine" }),
      (error: unknown) =>
        error instanceof SandboxAlreadyExistsError && error.status === 409 &&
        error.code === "name_already_exists" && error.message.startsWith("POST /v1/sandboxes: "),
    );
    env.cloud.faults.failNext(1, { status: 409, code: "whatever", message: "taken" });
    await assert.rejects(
      env.msb.sandboxes.create({ name: "other", image: "alpine" }),
      (error: unknown) =>
        error instanceof SandboxAlreadyExistsError && error.message === "POST /v1/sandboxes: taken",
    );
    await assert.rejects(
      env.msb.sandboxes.stop("twice"),
      (error: unknown) =>
        error instanceof ConflictError && error.status === 409 &&
        error.message.startsWith("POST /v1/sandboxes/by-name/:name/stop: "),
    );
  });

  Deno.test(`The cloud's own 404, 400 and 401 answers map to their kinds (${wire})`, async () => {
    await using env = await setup(wire);
    await assert.rejects(
      env.msb.sandboxes.get("missing"),
      (error: unknown) =>
        error instanceof SandboxNotFoundError && error.code === "sandbox_not_found",
    );
    await assert.rejects(env.msb.sandboxes.remove("missing"), SandboxNotFoundError);
    await assert.rejects(env.msb.sandboxes.start("missing"), SandboxNotFoundError);
    const stranger = new Microsandbox({ apiKey: "msb_wrong", url: env.cloud.url, wire });
    await assert.rejects(
      stranger.sandboxes.list(),
      (error: unknown) =>
        error instanceof AuthenticationError && error.status === 401 &&
        error.code === "invalid_api_key",
    );
  });
}

Deno.test("The current cloud's 400 for a bad request maps to InvalidConfig", async () => {
  await using env = await setup("current");
  env.cloud.faults.failNext(1, {
    status: 400,
    code: "invalid_request",
    message: "image is required",
  });
  await assert.rejects(
    env.msb.sandboxes.create({ name: "n", image: "alpine" }),
    (error: unknown) =>
      error instanceof InvalidConfigError &&
      error.message === "POST /v1/sandboxes: image is required",
  );
});

/** Creates a sandbox and waits until it runs (the v0.5 local cloud answers create while starting). */
async function running(env: Setup, name: string): Promise<Sandbox> {
  const sandbox = await env.msb.sandboxes.create({ name, image: "alpine" });
  for (let i = 0; i < 1000 && sandbox.status !== "running"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sandbox.refresh();
  }
  assert.equal(sandbox.status, "running");
  return sandbox;
}

for (const wire of GENERATIONS) {
  Deno.test(`Sandbox.exec rejects output past maxOutputBytes with OutputLimitError (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env, "loud");
    await assert.rejects(
      sandbox.exec("sh", ["-c", "head -c 100000 /dev/zero; sleep 65"], { maxOutputBytes: 1000 }),
      (error: unknown) => {
        assert.ok(error instanceof OutputLimitError, String(error));
        assert.equal(error.kind, "OutputLimit");
        assert.equal(error.limit, 1000);
        assert.equal(
          error.message,
          "exec output exceeds maxOutputBytes (1000 bytes); the process was killed: use spawn() " +
            "to stream it, or raise maxOutputBytes",
        );
        return true;
      },
    );
  });

  Deno.test(`ExecProcess refuses a second way of reading its output with InvalidConfigError (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await running(env, "twice");
    const viaEvents = await sandbox.spawn("echo", ["hi"]);
    const events = viaEvents.events;
    assert.throws(() => viaEvents.stdout, {
      name: "InvalidConfigError",
      message: "Cannot read stdout or stderr: the process's output is read through events: " +
        "read a process's output one way only (events, or stdout and stderr)",
    });
    assert.equal((await Array.fromAsync(events)).at(-1)?.type, "exited");
    const viaStdout = await sandbox.spawn("echo", ["hi"]);
    const stdout = viaStdout.stdout;
    assert.throws(() => viaStdout.events, {
      name: "InvalidConfigError",
      message: "Cannot read events: the process's output is read through stdout and stderr: " +
        "read a process's output one way only (events, or stdout and stderr)",
    });
    assert.equal(await new Response(stdout).text(), "hi\n");
    const drained = await sandbox.spawn("echo", ["hi"]);
    await drained.exited;
    assert.throws(() => drained.events, (error: unknown) => {
      assert.ok(error instanceof InvalidConfigError);
      assert.equal(
        error.message,
        "Cannot read events: the process's output is discarded, since exited was awaited " +
          "first: read the output before awaiting exited",
      );
      return true;
    });
  });
}

Deno.test("A one-letter API key is redacted as a whole word only", async () => {
  await using env = await setup("current", {}, { apiKey: "k" });
  env.cloud.faults.failNext(1, { status: 500, code: "echo", message: "blocked: bad key k" });
  await assert.rejects(env.msb.sandboxes.get("box"), (error: unknown) => {
    assert.ok(error instanceof CloudHttpError, String(error));
    assert.equal(error.message, "GET /v1/sandboxes/by-name/:name: blocked: bad key [redacted]");
    assert.equal(
      error.body,
      JSON.stringify({
        error: { code: "echo", message: "blocked: bad key [redacted]", details: null },
      }),
    );
    return true;
  });
});

Deno.test("On volume requests, 404 and 409 mean the volume is missing or its name taken", async () => {
  await using env = await setup("current");
  await env.msb.volumes.create({ name: "twice" });
  await assert.rejects(
    env.msb.volumes.create({ name: "twice" }),
    (error: unknown) =>
      error instanceof VolumeAlreadyExistsError && error.status === 409 &&
      error.code === "name_already_exists" && error.message.startsWith("POST /v1/volumes: "),
  );
  env.cloud.faults.failNext(1, { status: 409, code: "whatever", message: "taken" });
  await assert.rejects(
    env.msb.volumes.create({ name: "other" }),
    (error: unknown) =>
      error instanceof VolumeAlreadyExistsError && error.message === "POST /v1/volumes: taken",
  );
  // openapi's example 404 of the volume routes carries `sandbox_not_found`.
  env.cloud.faults.failNext(1, { status: 404, code: "sandbox_not_found", message: "gone" });
  await assert.rejects(
    env.msb.volumes.default(),
    (error: unknown) =>
      error instanceof VolumeNotFoundError && error.status === 404 &&
      error.message === "GET /v1/volumes/default: gone",
  );
  env.cloud.faults.failNext(1, { status: 404, body: "" });
  await assert.rejects(env.msb.volumes.default(), VolumeNotFoundError);
});

Deno.test("sandbox.fs rejects a missing file with SandboxFsOpsError (current)", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "fs-errors", image: "alpine" });
  await assert.rejects(sandbox.fs.text("/nope/file.txt"), (error) => {
    assert.ok(error instanceof SandboxFsOpsError, String(error));
    assert.equal(error.kind, "SandboxFsOps");
    assert.equal(error.failureKind, "not_found");
    assert.equal(error.path, "/nope/file.txt");
    assert.equal(error.errno, 2);
    assert.match(error.message, /^sandbox fs error: readFile \/nope\/file.txt: open: No such file/);
    return true;
  });
});

Deno.test("One class catches a missing file on sandbox.fs and on volume.fs, with path and kind", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "fs-both", image: "alpine" });
  const volume = await env.msb.volumes.create({ name: "fs-both" });
  const missing = async (read: Promise<unknown>): Promise<string> => {
    try {
      await read;
    } catch (error) {
      if (error instanceof SandboxFsOpsError && error.failureKind === "not_found") {
        return `${error.kind} ${error.path}`;
      }
      throw error;
    }
    throw new Error("the read succeeded");
  };
  assert.equal(await missing(sandbox.fs.text("/gone.txt")), "SandboxFsOps /gone.txt");
  assert.equal(await missing(volume.fs.readFile("/gone.txt").text()), "SandboxFsOps /gone.txt");
});

Deno.test("sandbox.fs on a stopped sandbox rejects with SandboxNotRunningError (current)", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "fs-stopped", image: "alpine" });
  await sandbox.stop();
  for (const call of [() => sandbox.fs.stat("/"), () => sandbox.fs.writeFile("/a", "a")]) {
    await assert.rejects(call(), (error) => {
      assert.ok(error instanceof SandboxNotRunningError, String(error));
      assert.match(error.message, /^fs in sandbox "fs-stopped": the sandbox is stopped/);
      return true;
    });
  }
});
