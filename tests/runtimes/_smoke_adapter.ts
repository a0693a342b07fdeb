// The Hono adapter's part of the smoke suite: plain HTTP against the app of _adapter_app.ts,
// through whatever calls it (`app.request` in-process, or miniflare's `dispatchFetch` into a
// Worker). It imports nothing from src/, so it also runs in the Node process that drives workerd.

import { check, expectEqual } from "./_checks.ts";

/** Calls the app at `path` below the sandbox routes' base (`""` is the collection itself). */
export type AppCall = (path: string, init?: RequestInit) => Promise<Response>;

/** What the adapter checks need to know about the app. */
export interface AdapterTarget {
  /** Calls the app. */
  call: AppCall;
  /** The bearer token the app accepts. */
  token: string;
  /** A unique sandbox name the app's scope allows. */
  name: string;
}

/** The names of the checks {@linkcode runAdapterSmoke} runs, in order. */
export const ADAPTER_CHECKS: readonly string[] = [
  "adapter: no token is 401 unauthorized",
  "adapter: create",
  "adapter: out of scope is 404 not_found",
  "adapter: exec as JSON",
  "adapter: logs as SSE",
  "adapter: delete",
];

/**
 * Runs every adapter check; throws on the first failure.
 *
 * @param target The app, its token and a sandbox name in scope.
 * @returns The checks that passed.
 */
export async function runAdapterSmoke(target: AdapterTarget): Promise<string[]> {
  const checks: string[] = [];
  const auth = { authorization: `Bearer ${target.token}` };
  const { call, name } = target;
  const tag = `tag-${crypto.randomUUID().slice(0, 8)}`;
  await check(checks, "adapter: no token is 401 unauthorized", async () => {
    await expectError(await call(""), 401, "unauthorized");
  });
  await check(checks, "adapter: create", async () => {
    const body = await jsonOf(await call("", post(auth, { name, image: "alpine" })), 201);
    expectEqual([body.name, body.status], [name, "running"], "created sandbox name and status");
  });
  const remove = () => call(`/${name}`, { method: "DELETE", headers: auth });
  try {
    await check(checks, "adapter: out of scope is 404 not_found", async () => {
      await expectError(await call("/elsewhere-1", { headers: auth }), 404, "not_found");
    });
    await check(checks, "adapter: exec as JSON", async () => {
      const script = `echo ${tag}; echo warn >&2; exit 3`;
      const response = await call(`/${name}/exec`, post(auth, { cmd: "sh", args: ["-c", script] }));
      const expected = { code: 3, success: false, stdout: `${tag}\n`, stderr: "warn\n" };
      expectEqual(await jsonOf(response, 200), expected, "exec result");
    });
    await check(checks, "adapter: logs as SSE", async () => {
      const response = await call(`/${name}/logs?sources=stdout`, {
        headers: { ...auth, accept: "text/event-stream" },
      });
      expectEqual(response.status, 200, "logs status");
      const type = response.headers.get("content-type") ?? "";
      expectEqual(type.startsWith("text/event-stream"), true, `logs content type ${type}`);
      const text = await readUntil(response.body!, tag);
      expectEqual(/^id: \S+$/m.test(text) && /^event: log$/m.test(text), true, `SSE ${text}`);
    });
  } catch (error) {
    await remove().then((response) => response.body?.cancel(), () => {});
    throw error;
  }
  await check(checks, "adapter: delete", async () => {
    const response = await remove();
    await response.body?.cancel();
    expectEqual(response.status, 204, "delete status");
  });
  return checks;
}

/** The name of the check {@linkcode runConcurrentExecs} runs. */
export const CONCURRENT_EXECS_CHECK = "adapter: concurrent execs from separate requests";

/**
 * Creates a sandbox through the app, runs three overlapping execs in it from three requests, and
 * removes it: on Workers this fails when one client's agent socket is shared across requests.
 *
 * @param target The app, its token and a sandbox name in scope.
 * @returns The check that passed.
 */
export async function runConcurrentExecs(target: AdapterTarget): Promise<string[]> {
  const checks: string[] = [];
  const auth = { authorization: `Bearer ${target.token}` };
  const { call, name } = target;
  await check(checks, CONCURRENT_EXECS_CHECK, async () => {
    await jsonOf(await call("", post(auth, { name, image: "alpine" })), 201);
    try {
      const exec = async (delay: string) => {
        const body = { cmd: "sh", args: ["-c", `sleep ${delay}; echo ${delay}`] };
        return await jsonOf(await call(`/${name}/exec`, post(auth, body)), 200);
      };
      const results = await Promise.allSettled(["0.3", "0.1", "0.2"].map(exec));
      const seen = results.map((r) => r.status === "fulfilled" ? r.value.stdout : `${r.reason}`);
      expectEqual(seen, ["0.3\n", "0.1\n", "0.2\n"], "stdout of each request");
    } finally {
      await call(`/${name}`, { method: "DELETE", headers: auth }).then((r) => r.body?.cancel());
    }
  });
  return checks;
}

function post(headers: Record<string, string>, body: unknown): RequestInit {
  return {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

async function jsonOf(response: Response, status: number): Promise<Record<string, unknown>> {
  const text = await response.text();
  expectEqual(response.status, status, `status (body ${text})`);
  return JSON.parse(text);
}

async function expectError(response: Response, status: number, code: string): Promise<void> {
  const body = await jsonOf(response, status) as { error?: { code?: string } };
  expectEqual(body.error?.code, code, "error code");
}

/** Reads the stream until its text holds a `data:` line containing `needle`, then cancels it. */
async function readUntil(body: ReadableStream<Uint8Array>, needle: string): Promise<string> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    while (!text.split("\n").some((line) => line.startsWith("data:") && line.includes(needle))) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the SSE stream ended before ${needle}: ${text}`);
      text += value;
    }
  } finally {
    await reader.cancel();
  }
  return text;
}
