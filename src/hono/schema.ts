// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { SandboxStatus } from "../models/sandbox_info.ts";
import type { SandboxSpec } from "../models/sandbox_spec.ts";
import type { RouteErrorBody } from "./errors.ts";

/**
 * A sandbox as the routes answer it: the public fields of the model, dates as ISO strings.
 * Never the API key, the spec's `env` or its registry credentials.
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

/** The body of `POST /`: a sandbox spec, camelCase as the client takes it. */
export type CreateSandboxBody = SandboxSpec;

/** The body of `POST /:name/exec`. */
export interface ExecRequestBody {
  /** The program (no shell). */
  cmd: string;
  /** Its arguments. */
  args?: string[];
  /** Variables added to the sandbox's environment. */
  env?: Record<string, string>;
  /** The working directory. */
  cwd?: string;
  /** Text for the command's stdin, followed by end-of-file. */
  stdin?: string;
  /** Milliseconds the command may run, at most the routes' `maxExecMs`. */
  timeoutMs?: number;
}

/** The JSON answer of `POST /:name/exec`: how the command ended and what it printed. */
export interface ExecResultJson {
  /** The exit code; -1 when a signal killed the process. */
  code: number;
  /** Whether the code is 0. */
  success: boolean;
  /** Its stdout, as UTF-8 text. */
  stdout: string;
  /** Its stderr, as UTF-8 text. */
  stderr: string;
}

/**
 * One event of a streamed exec (NDJSON line, or SSE event named after `type`): `started`
 * first, output, then `exited` or `error` last.
 */
export type ExecEventJson =
  | { type: "started"; pid: number }
  | { type: "stdout"; data: string }
  | { type: "stderr"; data: string }
  | { type: "exited"; code: number }
  | ({ type: "error" } & RouteErrorBody);

/** The data of one `log` event of `GET /:name/logs` (its SSE `id` is the entry's cursor). */
export interface LogEventJson {
  /** Where the entry comes from. */
  source: string;
  /** When it was written, ISO 8601. */
  ts: string;
  /** The entry's text. */
  text: string;
  /** The exec session that wrote it, when known. */
  sessionId?: number;
}

/** The statuses a route may fail with. */
export type RouteFailureStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 501 | 502 | 504;

/**
 * One JSON endpoint of {@linkcode SandboxRoutesSchema}, in Hono's RPC schema format: input `I`
 * answered with `O` and status `S`, or with an error body.
 */
export type SchemaRoute<I, O, S extends number> =
  | { input: I; output: O; outputFormat: "json"; status: S }
  | { input: I; output: RouteErrorBody; outputFormat: "json"; status: RouteFailureStatus };

/**
 * The routes of `sandboxRoutes` as a Hono RPC schema, for typed clients:
 * `hc<Hono<{}, SandboxRoutesSchema>>(url)` from `hono/client`.
 */
export type SandboxRoutesSchema = {
  /** List and create. */
  "/": {
    $get: SchemaRoute<Record<never, never>, { sandboxes: SandboxJson[] }, 200>;
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
      { param: { name: string } } & { json: ExecRequestBody },
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
