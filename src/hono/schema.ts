// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { SandboxStatus } from "../models/sandbox_info.ts";
import type { RouteErrorBody } from "./errors.ts";

/**
 * A sandbox as the routes answer it: the public fields of the model, dates as ISO strings.
 * Never the API key, the spec's `env` or its registry credentials.
 *
 * @example List the sandboxes a tenant may see
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type SandboxJson, sandboxRoutes } from "@microsandbox/edge/hono";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const client = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * await client.sandboxes.create({ name: "acme-api", image: "alpine" });
 * await client.sandboxes.create({ name: "globex-db", image: "alpine" });
 * const app = new Hono().route("/", sandboxRoutes({
 *   authorize: () => ({ tenant: "acme" }),
 *   scope: (name, principal) => name.startsWith(`${principal.tenant}-`),
 *   client,
 * }));
 * const { sandboxes }: { sandboxes: SandboxJson[] } = await (await app.request("/")).json();
 * assert.deepEqual(sandboxes.map((s) => `${s.name} ${s.status}`), ["acme-api running"]);
 * ```
 */
export interface SandboxJson {
  /** The sandbox id. */
  id: string;
  /** The sandbox name. */
  name: string;
  /** The slug, when the cloud gave one. */
  slug?: string;
  /** Where the sandbox is in its lifecycle. */
  status: SandboxStatus;
  /** Why it has that status, when the cloud said. */
  statusReason?: string;
  /** The image it runs. */
  image: string;
  /** Whether it is removed once it stops. */
  ephemeral: boolean;
  /** When it was created. */
  createdAt: string;
  /** When it last started. */
  startedAt?: string;
  /** When it last stopped. */
  stoppedAt?: string;
  /** The last error of the sandbox, when it has one. */
  lastError?: string;
  /** Its labels, when it has some. */
  labels?: Record<string, string>;
}

/**
 * The body of `POST /` under the default `create` rule: a name, an image and bounded resources.
 * Any other field is 403 `forbidden` unless the app's `create` option lets it through.
 *
 * @example Create a sandbox through the routes, with labels the app allows
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type CreateSandboxBody, type SandboxJson, sandboxRoutes } from "@microsandbox/edge/hono";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const client = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const app = new Hono().route("/", sandboxRoutes({
 *   authorize: () => ({ user: "ci" }),
 *   create: { fields: ["labels"] },
 *   client,
 * }));
 * const post = (body: object) =>
 *   app.request("/", {
 *     method: "POST",
 *     headers: { "content-type": "application/json" },
 *     body: JSON.stringify(body),
 *   });
 *
 * const body: CreateSandboxBody = { name: "build-42", image: "alpine", vcpus: 2, memoryMib: 1024 };
 * const response = await post({ ...body, labels: { team: "ci" } });
 * assert.equal(response.status, 201);
 * const sandbox: SandboxJson = await response.json();
 * assert.deepEqual([sandbox.status, sandbox.labels], ["running", { team: "ci" }]);
 * const refused = await post({ name: "build-43", image: "alpine", env: { TOKEN: "x" } });
 * assert.equal(refused.status, 403);
 * ```
 */
export interface CreateSandboxBody {
  /** The sandbox name, in the caller's `scope`. */
  name: string;
  /** The image, among the rule's `images`. */
  image: string;
  /** Virtual CPUs, at most the rule's `maxVcpus` (2 by default). */
  vcpus?: number;
  /** Memory in MiB, at most the rule's `maxMemoryMib` (2048 by default). */
  memoryMib?: number;
  /** Root disk size in MiB, at most the rule's `maxDiskSizeMib` (10240 by default). */
  diskSizeMib?: number;
}

/**
 * The body of `POST /:name/exec`.
 *
 * @example Run a command with stdin and a time limit
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type ExecRequestBody, type ExecResultJson, sandboxRoutes } from "@microsandbox/edge/hono";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const client = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * await client.sandboxes.create({ name: "build-42", image: "alpine" });
 * const app = new Hono().route("/", sandboxRoutes({ authorize: () => ({ user: "ci" }), client }));
 *
 * const body: ExecRequestBody = {
 *   cmd: "tr",
 *   args: ["a-z", "A-Z"],
 *   stdin: "hello",
 *   timeoutMs: 5_000,
 * };
 * const response = await app.request("/build-42/exec", {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify(body),
 * });
 * const result: ExecResultJson = await response.json();
 * assert.deepEqual(result, { code: 0, success: true, stdout: "HELLO", stderr: "" });
 * ```
 */
export interface ExecRequestBody {
  /** The program (no shell). */
  cmd: string;
  /** Its arguments. */
  args?: string[];
  /**
   * Variables added to the sandbox's environment (only when the routes' `commandFields` list
   * `env`), with portable names (letters, digits, `_`).
   */
  env?: Record<string, string>;
  /** The working directory (only when the routes' `commandFields` list `cwd`). */
  cwd?: string;
  /** The user to run as (only when the routes' `commandFields` list `user`). */
  user?: string;
  /** Text for the command's stdin, followed by end-of-file. */
  stdin?: string;
  /** Milliseconds the command may run, at most the routes' `maxExecMs`. */
  timeoutMs?: number;
}

/**
 * How `POST /:name/exec` writes stdout and stderr, chosen with `?encoding=`: `utf-8` text (the
 * default; bytes that are not UTF-8 become U+FFFD) or `base64` of the bytes, which keeps binary
 * output whole.
 *
 * @example Read binary output
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type ExecResultJson, type OutputEncoding, sandboxRoutes } from "@microsandbox/edge/hono";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const client = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * await client.sandboxes.create({ name: "build-42", image: "alpine" });
 * const app = new Hono().route("/", sandboxRoutes({ authorize: () => ({ user: "ci" }), client }));
 *
 * const encoding: OutputEncoding = "base64";
 * const response = await app.request(`/build-42/exec?encoding=${encoding}`, {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify({ cmd: "printf", args: ["\\377\\001"] }),
 * });
 * const result: ExecResultJson = await response.json();
 * assert.deepEqual([...Uint8Array.from(atob(result.stdout), (c) => c.charCodeAt(0))], [255, 1]);
 * ```
 */
export type OutputEncoding = "utf-8" | "base64";

/**
 * The JSON answer of `POST /:name/exec`: how the command ended and what it printed.
 *
 * @example Read the output, or fail with the command's stderr
 * ```ts
 * import type { ExecResultJson } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * function stdoutOf(result: ExecResultJson): string {
 *   if (!result.success) throw new Error(`exit ${result.code}: ${result.stderr.trim()}`);
 *   return result.stdout;
 * }
 *
 * assert.equal(stdoutOf({ code: 0, success: true, stdout: "42\n", stderr: "" }), "42\n");
 * const missing: ExecResultJson = {
 *   code: 2,
 *   success: false,
 *   stdout: "",
 *   stderr: "ls: /nope: No such file or directory\n",
 * };
 * assert.throws(() => stdoutOf(missing), /^Error: exit 2: ls: \/nope/);
 * ```
 */
export interface ExecResultJson {
  /** The exit code; -1 when a signal killed the process. */
  code: number;
  /** Whether the code is 0. */
  success: boolean;
  /** Its stdout, as UTF-8 text (base64 of its bytes with `?encoding=base64`). */
  stdout: string;
  /** Its stderr, as UTF-8 text (base64 of its bytes with `?encoding=base64`). */
  stderr: string;
}

/**
 * One event of a streamed exec (NDJSON line, or SSE event named after `type`): `started`
 * first, output, then `exited` or `error` last. Output `data` is UTF-8 text, or base64 of the
 * chunk's bytes with `?encoding=base64`.
 *
 * @example Follow a command as NDJSON
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type ExecEventJson, sandboxRoutes } from "@microsandbox/edge/hono";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const client = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * await client.sandboxes.create({ name: "build-42", image: "alpine" });
 * const app = new Hono().route("/", sandboxRoutes({ authorize: () => ({ user: "ci" }), client }));
 *
 * const response = await app.request("/build-42/exec", {
 *   method: "POST",
 *   headers: { accept: "application/x-ndjson", "content-type": "application/json" },
 *   body: JSON.stringify({ cmd: "echo", args: ["hi"] }),
 * });
 * const lines = (await response.text()).split("\n").filter((line) => line !== "");
 * const events: ExecEventJson[] = lines.map((line) => JSON.parse(line));
 * assert.equal(events[0]?.type, "started");
 * assert.equal(events.map((e) => e.type === "stdout" ? e.data : "").join(""), "hi\n");
 * assert.deepEqual(events.at(-1), { type: "exited", code: 0 });
 * ```
 */
export type ExecEventJson =
  | { type: "started"; pid: number }
  | { type: "stdout"; data: string }
  | { type: "stderr"; data: string }
  | { type: "exited"; code: number }
  | ({ type: "error" } & RouteErrorBody);

/**
 * The data of one `log` event of `GET /:name/logs` (its SSE `id` is the entry's cursor), as
 * `toSseResponse` writes it: msb-cloud's own shape. An NDJSON line is this plus `cursor`.
 *
 * @example Read the first log event over SSE
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type LogEventJson, sandboxRoutes } from "@microsandbox/edge/hono";
 * import { SseDecoderStream } from "@microsandbox/edge/sse";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const client = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * await client.sandboxes.create({ name: "build-42", image: "alpine" });
 * cloud.appendLog("build-42", [{ source: "stdout", text: "compiling\n", sessionId: 1 }]);
 * const app = new Hono().route("/", sandboxRoutes({ authorize: () => ({ user: "ci" }), client }));
 *
 * const response = await app.request("/build-42/logs?sources=stdout");
 * for await (const event of response.body!.pipeThrough(new SseDecoderStream())) {
 *   const log: LogEventJson = JSON.parse(event.data);
 *   assert.equal(event.event, "log");
 *   assert.deepEqual([log.source, log.text, log.session_id], ["stdout", "compiling\n", 1]);
 *   break; // the stream follows the log until the sandbox stops
 * }
 * ```
 */
export interface LogEventJson {
  /** Where the entry comes from. */
  source: string;
  /** When it was written, ISO 8601. */
  ts: string;
  /** The entry's text. */
  text: string;
  /** The exec session that wrote it, when known (msb-cloud's own name for it). */
  session_id?: number;
}

/**
 * The statuses a route may fail with.
 *
 * @example Decide which failed answers to retry
 * ```ts
 * import type { RouteFailureStatus } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const RETRYABLE = new Set<RouteFailureStatus>([429, 502, 504]);
 * const retryable = (response: Response): boolean =>
 *   RETRYABLE.has(response.status as RouteFailureStatus);
 *
 * assert.ok(retryable(new Response(null, { status: 429 })));
 * assert.ok(!retryable(new Response(null, { status: 403 })));
 * ```
 */
export type RouteFailureStatus =
  | 400
  | 401
  | 403
  | 404
  | 409
  | 413
  | 415
  | 416
  | 422
  | 429
  | 500
  | 501
  | 502
  | 504
  | 507;

/**
 * One JSON endpoint of {@linkcode SandboxRoutesSchema}, in Hono's RPC schema format: input `I`
 * answered with `O` and status `S`, or with an error body.
 *
 * @example Type a route of your own that fails the same way
 * ```ts
 * import { Hono } from "hono";
 * import { hc } from "hono/client";
 * import { RouteError, type SchemaRoute } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * type QuotaSchema = {
 *   "/quota": { $get: SchemaRoute<Record<never, never>, { remaining: number }, 200> };
 * };
 * const app = new Hono().get("/quota", (c) =>
 *   c.req.header("authorization")
 *     ? c.json({ remaining: 3 })
 *     : new RouteError("unauthorized", "Sign in first.").toResponse());
 * const api = hc<Hono<Record<never, never>, QuotaSchema>>("http://app.test", {
 *   fetch: (input: RequestInfo | URL, init?: RequestInit) => app.request(input, init),
 * });
 * const answer = await api.quota.$get();
 * if (answer.status === 200) throw new Error("expected a refusal");
 * assert.equal((await answer.json()).error.code, "unauthorized");
 * ```
 */
export type SchemaRoute<I, O, S extends number> =
  | { input: I; output: O; outputFormat: "json"; status: S }
  | { input: I; output: RouteErrorBody; outputFormat: "json"; status: RouteFailureStatus };

/**
 * The routes of `sandboxRoutes` as a Hono RPC schema, for typed clients:
 * `hc<Hono<{}, SandboxRoutesSchema>>(url)` from `hono/client`.
 *
 * @example A typed client of the routes
 * ```ts
 * import type { Hono } from "hono";
 * import { hc } from "hono/client";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { sandboxRoutes, type SandboxRoutesSchema } from "@microsandbox/edge/hono";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const client = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const routes: Hono<Record<never, never>, SandboxRoutesSchema> = sandboxRoutes({
 *   authorize: () => ({ user: "ci" }),
 *   client,
 * });
 * const api = hc<typeof routes>("http://app.test", {
 *   fetch: (input: RequestInfo | URL, init?: RequestInit) => routes.request(input, init),
 * });
 * const created = await api.index.$post({ json: { name: "build-42", image: "alpine" } });
 * assert.equal(created.status, 201);
 * const ran = await api[":name"].exec.$post({
 *   param: { name: "build-42" },
 *   json: { cmd: "echo", args: ["hi"] },
 * });
 * if (ran.status !== 200) throw new Error((await ran.json()).error.message);
 * assert.equal((await ran.json()).stdout, "hi\n");
 * ```
 */
export type SandboxRoutesSchema = {
  /** List and create. */
  "/": {
    $get: SchemaRoute<
      { query: { limit?: string; cursor?: string } },
      { sandboxes: SandboxJson[]; nextCursor?: string },
      200
    >;
    $post: SchemaRoute<{ json: CreateSandboxBody }, SandboxJson, 201>;
  };
  /** Read and remove. */
  "/:name": {
    $get: SchemaRoute<{ param: { name: string } }, SandboxJson, 200>;
    $delete: SchemaRoute<{ param: { name: string } }, null, 204>;
  };
  /** Start. */
  "/:name/start": { $post: SchemaRoute<{ param: { name: string } }, SandboxJson, 200> };
  /** Stop. */
  "/:name/stop": { $post: SchemaRoute<{ param: { name: string } }, SandboxJson, 200> };
  /** Run a command: JSON result, or NDJSON / SSE events by `Accept`. */
  "/:name/exec": {
    $post: SchemaRoute<
      { param: { name: string } } & { json: ExecRequestBody } & {
        query?: { encoding?: OutputEncoding };
      },
      ExecResultJson,
      200
    >;
  };
  /** Follow the log: SSE, or NDJSON by `Accept`. */
  "/:name/logs": {
    $get: {
      input: { param: { name: string } } & { query: { sources?: string; cursor?: string } };
      output: string;
      outputFormat: "text";
      status: 200;
    };
  };
};

/**
 * A file or directory as the file routes answer it (`GET /:name/files/*?list` lists them, `PUT`
 * answers the file written): the guest filesystem's entry, its date as an ISO string.
 *
 * @example Upload a file, then list its directory
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type FileEntryJson, sandboxRoutes } from "@microsandbox/edge/hono";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const client = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * await client.sandboxes.create({ name: "build-42", image: "alpine", workdir: "/app" });
 * const app = new Hono().route("/", sandboxRoutes({ authorize: () => ({ user: "ci" }), client }));
 * const put = await app.request("/build-42/files/app/hello.txt", { method: "PUT", body: "hi\n" });
 * const written: FileEntryJson = await put.json();
 * assert.deepEqual([written.path, written.kind, written.size], ["/app/hello.txt", "file", 3]);
 * const list = await app.request("/build-42/files/app?list");
 * const { entries }: { entries: FileEntryJson[] } = await list.json();
 * assert.deepEqual(entries.map((entry) => entry.path), ["/app/hello.txt"]);
 * ```
 */
export interface FileEntryJson {
  /** Its guest path. */
  path: string;
  /** `file`, `dir`, `symlink` or `other`. */
  kind: "file" | "dir" | "symlink" | "other";
  /** Its size in bytes. */
  size: number;
  /** Its mode bits, the file type included. */
  mode: number;
  /** When it was last modified (ISO 8601), when the sandbox knows. */
  modified: string | null;
  /** Its owner's uid. */
  uid: number;
  /** Its group's gid. */
  gid: number;
}
