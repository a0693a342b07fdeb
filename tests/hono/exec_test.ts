import assert from "node:assert/strict";
import { ACME, appSetup, errorCode, eventually, json, processGone, running } from "./_app.ts";

/** Reads an NDJSON body into objects. */
async function ndjson(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  return text.split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

/** Reads an SSE body into `[event, data]` pairs (heartbeats skipped). */
async function sse(response: Response): Promise<[string, Record<string, unknown>][]> {
  const blocks = (await response.text()).split("\n\n").filter((b) => b && !b.startsWith(":"));
  return blocks.map((block) => {
    const fields = Object.fromEntries(
      block.split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]),
    );
    return [fields.event!, JSON.parse(fields.data!)];
  });
}

Deno.test("exec route answers the JSON result with stdin fed to the command", async () => {
  await using app = await appSetup({ commandFields: ["env", "cwd"] });
  await running(app.env, "acme-box");
  const echo = await app.request("/acme-box/exec", json(ACME, { cmd: "echo", args: ["hi"] }));
  assert.equal(echo.status, 200);
  assert.deepEqual(await echo.json(), { code: 0, success: true, stdout: "hi\n", stderr: "" });
  const cat = await app.request("/acme-box/exec", json(ACME, { cmd: "cat", stdin: "from stdin" }));
  assert.equal((await cat.json()).stdout, "from stdin");
  const shell = await app.request(
    "/acme-box/exec",
    json(ACME, { cmd: "sh", args: ["-c", 'echo "$X" >&2; exit 3'], env: { X: "oops" }, cwd: "/" }),
  );
  assert.deepEqual(await shell.json(), { code: 3, success: false, stdout: "", stderr: "oops\n" });
});

Deno.test("exec route streams NDJSON events", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-box");
  const response = await fetch(`${app.base}/acme-box/exec`, {
    ...json(ACME, { cmd: "sh", args: ["-c", "cat; echo err >&2"], stdin: "abc" }),
    headers: { ...ACME, accept: "application/x-ndjson", "content-type": "application/json" },
  });
  assert.match(response.headers.get("content-type")!, /application\/x-ndjson/);
  const events = await ndjson(response);
  assert.equal(events[0]!.type, "started");
  assert.equal(typeof events[0]!.pid, "number");
  const out = events.filter((e) => e.type === "stdout").map((e) => e.data).join("");
  const err = events.filter((e) => e.type === "stderr").map((e) => e.data).join("");
  assert.deepEqual([out, err], ["abc", "err\n"]);
  assert.deepEqual(events.at(-1), { type: "exited", code: 0 });
});

Deno.test("exec route streams SSE events named after their type", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-box");
  const response = await fetch(`${app.base}/acme-box/exec`, {
    ...json(ACME, { cmd: "sh", args: ["-c", "echo one; exit 2"] }),
    headers: { ...ACME, accept: "text/event-stream", "content-type": "application/json" },
  });
  assert.match(response.headers.get("content-type")!, /text\/event-stream/);
  const events = await sse(response);
  assert.equal(events[0]![0], "started");
  assert.deepEqual(events.slice(1), [["stdout", { type: "stdout", data: "one\n" }], [
    "exited",
    { type: "exited", code: 2 },
  ]]);
});

Deno.test("exec route answers 403 forbidden for a command the policy refuses, before any request", async () => {
  await using app = await appSetup({
    commands: ({ cmd, args }) => cmd === "echo" && !args.includes("no"),
  });
  await running(app.env, "acme-box");
  const before = app.env.cloud.requests.length;
  for (const body of [{ cmd: "rm", args: ["-rf", "/"] }, { cmd: "echo", args: ["no"] }]) {
    const response = await app.request("/acme-box/exec", json(ACME, body));
    assert.deepEqual([response.status, await errorCode(response)], [403, "forbidden"]);
  }
  assert.equal(app.env.cloud.requests.length, before);
  const allowed = await app.request("/acme-box/exec", json(ACME, { cmd: "echo", args: ["yes"] }));
  assert.equal(allowed.status, 200);
});

Deno.test("exec route answers 413 payload_too_large for a body over the limit, declared or not", async () => {
  await using app = await appSetup({ maxBodyBytes: 64 });
  await running(app.env, "acme-box");
  const before = app.env.cloud.requests.length;
  const big = json(ACME, { cmd: "cat", stdin: "x".repeat(100) });
  const declared = await app.request("/acme-box/exec", big);
  assert.deepEqual([declared.status, await errorCode(declared)], [413, "payload_too_large"]);
  const chunks = [new TextEncoder().encode('{"cmd":"cat","stdin":"'), new Uint8Array(80).fill(120)];
  const streamed = await fetch(`${app.base}/acme-box/exec`, {
    method: "POST",
    headers: { ...ACME, "content-type": "application/json" },
    body: ReadableStream.from(chunks),
  });
  assert.deepEqual([streamed.status, await errorCode(streamed)], [413, "payload_too_large"]);
  const lying = await app.request("/acme-box/exec", {
    method: "POST",
    headers: { ...ACME, "content-length": "10", "content-type": "application/json" },
    body: ReadableStream.from(chunks),
  });
  assert.deepEqual([lying.status, await errorCode(lying)], [413, "payload_too_large"]);
  assert.equal(app.env.cloud.requests.length, before);
});

Deno.test("exec route answers 400 invalid_request for each bad field", async () => {
  await using app = await appSetup();
  const before = app.env.cloud.requests.length;
  const bodies: [unknown, string][] = [
    [{}, "cmd"],
    [{ cmd: "" }, "cmd"],
    [{ cmd: 1 }, "cmd"],
    [{ cmd: "echo", args: "hi" }, "args"],
    [{ cmd: "echo", args: [1] }, "args"],
    [{ cmd: "echo", env: { A: 1 } }, "env"],
    [{ cmd: "echo", env: ["A"] }, "env"],
    [{ cmd: "echo", cwd: 1 }, "cwd"],
    [{ cmd: "echo", stdin: 1 }, "stdin"],
    [{ cmd: "echo", timeoutMs: 0 }, "timeoutMs"],
    [{ cmd: "echo", timeoutMs: "1" }, "timeoutMs"],
  ];
  for (const [body, field] of bodies) {
    const response = await app.request("/acme-box/exec", json(ACME, body));
    assert.equal(response.status, 400, JSON.stringify(body));
    const { error } = await response.json();
    assert.equal(error.code, "invalid_request");
    assert.ok(error.message.includes(`"${field}"`), error.message);
  }
  const invalidUtf8 = await app.request("/acme-box/exec", {
    method: "POST",
    headers: { ...ACME, "content-type": "application/json" },
    body: new Uint8Array([0x7b, 0xff, 0x7d]),
  });
  assert.deepEqual([invalidUtf8.status, await errorCode(invalidUtf8)], [400, "invalid_request"]);
  assert.equal(app.env.cloud.requests.length, before);
});

Deno.test("exec route kills a command over maxExecMs and answers 504 timeout", async () => {
  await using app = await appSetup({ maxExecMs: 300 });
  await running(app.env, "acme-box");
  const response = await app.request("/acme-box/exec", json(ACME, { cmd: "sleep", args: ["30"] }));
  assert.deepEqual([response.status, await errorCode(response)], [504, "timeout"]);
  await processGone(app.env, "sleep");
});

Deno.test("exec route ends a stream over its time limit with an error event", async () => {
  await using app = await appSetup({ maxExecMs: 60_000 });
  await running(app.env, "acme-box");
  const response = await fetch(`${app.base}/acme-box/exec`, {
    ...json(ACME, { cmd: "sleep", args: ["30"], timeoutMs: 300 }),
    headers: { ...ACME, accept: "application/x-ndjson", "content-type": "application/json" },
  });
  const events = await ndjson(response);
  assert.equal(events[0]!.type, "started");
  assert.deepEqual(events.at(-1), {
    type: "error",
    error: { code: "timeout", message: "The command ran past its time limit and was killed." },
  });
  await processGone(app.env, "sleep");
});

Deno.test("exec route kills the process when the HTTP client goes away", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-box");
  const controller = new AbortController();
  const response = await fetch(`${app.base}/acme-box/exec`, {
    ...json(ACME, { cmd: "sleep", args: ["30"] }),
    headers: { ...ACME, accept: "application/x-ndjson", "content-type": "application/json" },
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  assert.match(first, /"type":"started"/);
  await eventually(
    () => app.env.cloud.processes().some((p) => p.cmd.includes("sleep")),
    "sleep runs",
  );
  controller.abort();
  await reader.closed.catch(() => {});
  await processGone(app.env, "sleep");
});
