// The exec route's answers to the caller's own mistakes (4xx with a code that says which), and
// output as base64 for binary commands; all over real HTTP against the local cloud.
import assert from "node:assert/strict";
import { ACME, appSetup, json, running } from "./_app.ts";

/** Posts an exec body over HTTP, asking for `accept`. */
function exec(base: string, body: unknown, accept?: string, query = ""): Promise<Response> {
  const headers = accept ? { ...ACME, accept } : ACME;
  return fetch(`${base}/acme-box/exec${query}`, json(headers, body));
}

/** The JSON objects of an NDJSON body. */
async function ndjson(response: Response): Promise<Record<string, unknown>[]> {
  const lines = (await response.text()).split("\n").filter(Boolean);
  return lines.map((line) => JSON.parse(line));
}

/** The data of each SSE event, parsed (heartbeats skipped). */
async function sseData(response: Response): Promise<Record<string, unknown>[]> {
  const lines = (await response.text()).split("\n").filter((line) => line.startsWith("data: "));
  return lines.map((line) => JSON.parse(line.slice("data: ".length)));
}

/** The bytes of standard base64. */
function fromBase64(text: string): number[] {
  return [...atob(text)].map((char) => char.charCodeAt(0));
}

const STARTS: [string, unknown, string, string][] = [
  ["missing", { cmd: "no-such-command-here" }, "not_found", "the program was not found."],
  [
    "bad cwd",
    { cmd: "echo", cwd: "/no/such/dir" },
    "bad_cwd",
    "the working directory does not exist or is not a directory.",
  ],
  ["not allowed", { cmd: "/etc/passwd" }, "permission_denied", "permission to run it was denied."],
];

Deno.test("exec route answers 422 exec_failed with the kind for a command that cannot start", async () => {
  await using app = await appSetup({ commandFields: ["cwd"] });
  await running(app.env, "acme-box");
  for (const accept of [undefined, "application/x-ndjson", "text/event-stream"]) {
    for (const [what, body, kind, reason] of STARTS) {
      const response = await exec(app.base, body, accept);
      assert.equal(response.status, 422, `${what}, ${accept}`);
      assert.deepEqual(await response.json(), {
        error: { code: "exec_failed", message: `The command could not start: ${reason}`, kind },
      });
    }
  }
});

Deno.test("exec route answers 413 output_too_large when the output passes the exec bound", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-box");
  const response = await exec(app.base, {
    cmd: "head",
    args: ["-c", String(64 * 1024 * 1024 + 1), "/dev/zero"],
  });
  assert.equal(response.status, 413);
  assert.deepEqual(await response.json(), {
    error: {
      code: "output_too_large",
      message: "The command's output went past its limit and the command was killed.",
    },
  });
});

Deno.test("exec route answers 409 not_running on a stopped sandbox, JSON and streams alike", async () => {
  await using app = await appSetup();
  const sandbox = await running(app.env, "acme-box");
  await sandbox.stop();
  for (const accept of [undefined, "application/x-ndjson", "text/event-stream"]) {
    const response = await exec(app.base, { cmd: "echo", args: ["hi"] }, accept);
    assert.equal(response.status, 409, accept);
    assert.deepEqual(await response.json(), {
      error: {
        code: "not_running",
        message: "The sandbox is not running; start it and try again.",
      },
    });
  }
});

const BINARY = { cmd: "sh", args: ["-c", "printf '\\377\\000\\376'; printf '\\200' >&2"] };

Deno.test("exec route answers stdout and stderr as base64 with ?encoding=base64 (JSON)", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-box");
  const response = await exec(app.base, BINARY, undefined, "?encoding=base64");
  const result = await response.json();
  assert.deepEqual([result.code, result.success], [0, true]);
  assert.deepEqual([fromBase64(result.stdout), fromBase64(result.stderr)], [[255, 0, 254], [128]]);
  const text = await (await exec(app.base, BINARY, undefined, "?encoding=utf-8")).json();
  assert.equal(text.stdout, "\uFFFD\0\uFFFD");
});

Deno.test("exec route streams output chunks as base64 with ?encoding=base64 (NDJSON and SSE)", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-box");
  for (
    const [accept, read] of [["application/x-ndjson", ndjson], [
      "text/event-stream",
      sseData,
    ]] as const
  ) {
    const events = await read(await exec(app.base, BINARY, accept, "?encoding=base64"));
    const bytes = (type: string) =>
      events.filter((e) => e.type === type).flatMap((e) => fromBase64(e.data as string));
    assert.deepEqual([bytes("stdout"), bytes("stderr")], [[255, 0, 254], [128]], accept);
    assert.deepEqual(events.at(-1), { type: "exited", code: 0 });
  }
});

Deno.test("exec route refuses an encoding it does not know with 400 invalid_request", async () => {
  await using app = await appSetup();
  const before = app.env.cloud.requests.length;
  const response = await exec(app.base, { cmd: "echo" }, undefined, "?encoding=hex");
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), {
    error: {
      code: "invalid_request",
      message: 'The "encoding" query parameter must be "utf-8" or "base64".',
    },
  });
  assert.equal(app.env.cloud.requests.length, before);
});

Deno.test("JSON routes refuse a body that is not application/json with 415, before any request", async () => {
  await using app = await appSetup();
  const before = app.env.cloud.requests.length;
  const body = JSON.stringify({ cmd: "id", name: "acme-x", image: "alpine" });
  const types = [
    "text/plain",
    "text/plain; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    undefined,
  ];
  for (const path of ["/acme-box/exec", ""]) {
    for (const type of types) {
      const headers: Record<string, string> = { ...ACME };
      if (type) headers["content-type"] = type;
      const response = await fetch(`${app.base}${path}`, { method: "POST", headers, body });
      assert.equal(response.status, 415, `${path} ${type}`);
      assert.deepEqual(await response.json(), {
        error: {
          code: "unsupported_media_type",
          message: "The request body must be JSON sent with Content-Type: application/json.",
        },
      });
    }
  }
  assert.equal(app.env.cloud.requests.length, before);
  await running(app.env, "acme-box");
  const charset = await fetch(`${app.base}/acme-box/exec`, {
    method: "POST",
    headers: { ...ACME, "content-type": "Application/JSON; charset=utf-8" },
    body: JSON.stringify({ cmd: "echo", args: ["ok"] }),
  });
  assert.equal((await charset.json()).stdout, "ok\n");
});
