// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * What a caller asks to run, whole and parsed, as the `commands` hook of `sandboxRoutes` sees it:
 * after the body (or the WebSocket query) is checked and before any request to the cloud. The
 * object and its `args` and `env` are frozen, and they are what runs: a hook that allows them
 * allows exactly this process. Compare `cmd` and `args` with an allow-list of exact argv; a
 * shell (`sh -c`, `bash -c`) or an interpreter allowed with free arguments allows anything.
 *
 * `env`, `cwd` and `user` are empty/undefined unless the routes' `commandFields` let callers set
 * them: a request that sets an unlisted one is 403 before the hook runs.
 *
 * @example Allow two exact command lines, nothing else
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type CommandRequest, sandboxRoutes } from "@microsandbox/edge/hono";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * const ALLOWED: readonly (readonly string[])[] = [["uname", "-s"], ["ls", "-a", "/"]];
 * const allowed = ({ cmd, args }: CommandRequest): boolean =>
 *   ALLOWED.some((argv) =>
 *     argv.length === args.length + 1 && argv.every((word, i) => word === [cmd, ...args][i])
 *   );
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const client = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * await client.sandboxes.create({ name: "build-42", image: "alpine" });
 * const app = new Hono().route("/", sandboxRoutes({
 *   authorize: () => ({ user: "ci" }),
 *   commands: (command) => allowed(command),
 *   client,
 * }));
 * const run = (body: object) =>
 *   app.request("/build-42/exec", {
 *     method: "POST",
 *     headers: { "content-type": "application/json" },
 *     body: JSON.stringify(body),
 *   });
 * assert.equal((await (await run({ cmd: "uname", args: ["-s"] })).json()).stdout, "Linux\n");
 * assert.equal((await run({ cmd: "sh", args: ["-c", "uname -s"] })).status, 403);
 * assert.equal((await run({ cmd: "uname", args: ["-s"], env: { LD_PRELOAD: "/x.so" } })).status, 403);
 * ```
 */
export interface CommandRequest {
  /** Which route asks: `POST /:name/exec` or the WebSocket bridge `GET /:name/ws`. */
  readonly route: "exec" | "ws";
  /** The program (no shell). */
  readonly cmd: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Variables added to the sandbox's environment; `{}` when none. */
  readonly env: Readonly<Record<string, string>>;
  /** The working directory, when the caller set one. */
  readonly cwd: string | undefined;
  /** The user to run as, when the caller set one. */
  readonly user: string | undefined;
  /** Whether it runs in a terminal (WebSocket `tty=1`; never for exec). */
  readonly tty: boolean;
  /** Whether the caller gives it stdin: a body `stdin` for exec; always for the WebSocket. */
  readonly stdin: boolean;
  /** The milliseconds it may run: the body's `timeoutMs` bounded by `maxExecMs`. */
  readonly timeoutMs: number;
}
