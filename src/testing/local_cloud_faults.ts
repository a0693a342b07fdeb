/**
 * The fault-injection controls of the local cloud, reached through
 * {@linkcode LocalCloud.faults}.
 *
 * @module
 */

/**
 * Options of {@linkcode LocalCloudFaults.failNext}.
 *
 * @example Check that the client retries through a short outage
 * ```ts
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type FailNextOptions, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud();
 * const msb = new Microsandbox({
 *   apiKey: cloud.apiKey,
 *   url: cloud.url,
 *   retry: { attempts: 3, baseDelay: 1, maxDelay: 10 },
 * });
 * const outage: FailNextOptions = { status: 503, retryAfter: "0", message: "Down for maintenance" };
 * cloud.faults.failNext(2, outage);
 *
 * const page = await msb.sandboxes.list();
 * assert.deepEqual(page.sandboxes, []);
 * assert.equal(cloud.requests.length, 3);
 * ```
 */
export interface FailNextOptions {
  /** The HTTP status to answer with: usually 429, 500, 502, 503 or 504; any from 400 to 599. */
  status: number;
  /** The `Retry-After` header value, e.g. `"1"` or an HTTP date. Omitted when absent. */
  retryAfter?: string;
  /**
   * The error code in the nested error body. Defaults to `rate_limited` for 429,
   * `internal_error` for 500, `orchestrator_unreachable` for 502, `service_unavailable` for 503,
   * `gateway_timeout` for 504, `invalid_request` for 400, `invalid_api_key` for 401,
   * `forbidden` for 403, `not_found` for 404, `conflict` for 409, and `http_<status>` otherwise.
   */
  code?: string;
  /** The error message in the nested error body; a short phrase for the status by default. */
  message?: string;
  /**
   * A raw body to send instead of the nested error body (e.g. a flat `{"code","message"}` or
   * plain text); sent as `application/json` when it parses as JSON, else as `text/plain`.
   */
  body?: string;
}

/**
 * Options of {@linkcode LocalCloudFaults.replyNext}.
 *
 * @example A proxy's HTML page where JSON was due
 * ```ts
 * import { Microsandbox, ProtocolError } from "@microsandbox/edge";
 * import { type ReplyNextOptions, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud();
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const maintenance: ReplyNextOptions = {
 *   status: 200,
 *   body: "<html>maintenance</html>",
 *   contentType: "text/html",
 * };
 * cloud.faults.replyNext(1, maintenance);
 * await assert.rejects(msb.sandboxes.list(), ProtocolError);
 * ```
 */
export interface ReplyNextOptions {
  /**
   * The HTTP status, 200 to 599.
   *
   * @default {200}
   */
  status?: number;
  /** The body, sent as is. */
  body: string | Uint8Array<ArrayBuffer>;
  /**
   * The `content-type` header.
   *
   * @default {"application/json"}
   */
  contentType?: string;
}

/**
 * Options of {@linkcode LocalCloudFaults.dropNext}.
 *
 * @example A create whose answer is lost after the cloud made the sandbox
 * ```ts
 * import { type DropNextOptions, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ generation: "v0.5" });
 * const headers = { authorization: `Bearer ${cloud.apiKey}` };
 * const lost: DropNextOptions = { afterRoute: true };
 * cloud.faults.dropNext(1, lost);
 * const res = await fetch(`${cloud.url}/v1/sandboxes`, {
 *   method: "POST",
 *   headers,
 *   body: JSON.stringify({ name: "made", image: "alpine" }),
 * });
 * await assert.rejects(res.text(), TypeError);
 * const found = await fetch(`${cloud.url}/v1/sandboxes/by-name/made`, { headers });
 * assert.equal((await found.json()).status, "created");
 * ```
 */
export interface DropNextOptions {
  /**
   * Let the route act first (create, start, stop, remove), then cut the answer: the cloud has
   * changed, the client never learns how. The route's own answer is cancelled unsent, so a log
   * stream it opened ends at once. A WebSocket upgrade takes it as a plain drop (its route does
   * not run), since a `101` answer cannot be cut.
   *
   * @default {false}
   */
  afterRoute?: boolean;
}

/**
 * Options of {@linkcode LocalCloudFaults.nextBoot}.
 *
 * @example Fail one boot, then boot normally
 * ```ts
 * import { Microsandbox, MicrosandboxError } from "@microsandbox/edge";
 * import { type NextBootOptions, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const broken: NextBootOptions = { fail: "image pull failed", delayMs: 5 };
 * cloud.faults.nextBoot(broken);
 *
 * await assert.rejects(
 *   msb.sandboxes.create({ name: "broken", image: "alpine" }),
 *   (error) => error instanceof MicrosandboxError && /image pull failed/.test(error.message),
 * );
 * const fine = await msb.sandboxes.create({ name: "fine", image: "alpine" });
 * assert.equal(fine.status, "running");
 * ```
 */
export interface NextBootOptions {
  /** Make the boot end in `failed`, with this as `last_failure_message` (`last_error` in v0.5). */
  fail?: string;
  /** How long this boot takes, in milliseconds, instead of the cloud's `bootDelayMs`. */
  delayMs?: number;
}

/**
 * What goes wrong on an exec WebSocket (the seed's `exec.cbor` route or today's `agent` route),
 * from the client's point of view:
 *
 * - `split`: every byte the server sends (the relay handshake included) is its own WebSocket
 *   message.
 * - `coalesce`: the server batches frames: it holds them until 16 are pending, a terminal frame
 *   is queued, or 20 ms have passed, then sends them as one message (the relay handshake's
 *   8 bytes and `core.ready` frame share one message).
 * - `closeBeforeExit`: once a command has ended and its output is sent, the server closes the
 *   socket (code 1000) instead of sending `core.exec.exited` or `core.exec.failed`.
 * - `oversizedLength`: right after `core.exec.started`, the server sends a 9-byte frame header
 *   whose length field says 5 MiB (over the 4 MiB limit), then nothing more, with the socket
 *   left open.
 * - `truncatedFrame`: right after `core.exec.started`, the server sends the first half of the
 *   session's next frame and closes the socket (code 1000).
 * - `stall`: after `core.exec.started`, the server sends nothing more, keeping the socket open
 *   (the command still runs; closing the socket kills it).
 * - `legacyHandshake`: on the `agent` route, the relay handshake takes its legacy form (a 4-byte
 *   id offset, then the `core.ready` frame): the client may use ids from offset + 1 on.
 *
 * @example The client copes with split and batched frames, and fails cleanly on a cut
 * ```ts
 * import { Microsandbox, MicrosandboxError } from "@microsandbox/edge";
 * import { type ExecFaultKind, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const sandbox = await msb.sandboxes.create({ name: "flaky", image: "alpine" });
 *
 * const harmless: ExecFaultKind[] = ["split", "coalesce", "legacyHandshake"];
 * for (const kind of harmless) {
 *   cloud.faults.execFault(kind);
 *   assert.equal((await sandbox.exec("echo", [kind])).stdoutText(), `${kind}\n`);
 * }
 * cloud.faults.execFault("closeBeforeExit");
 * await assert.rejects(sandbox.exec("echo", ["hi"]), MicrosandboxError);
 * ```
 */
export type ExecFaultKind =
  | "split"
  | "coalesce"
  | "closeBeforeExit"
  | "oversizedLength"
  | "truncatedFrame"
  | "stall"
  | "legacyHandshake";

/**
 * Options of {@linkcode LocalCloudFaults.execFault}.
 *
 * @example Stall two exec sockets in a row
 * ```ts
 * import { ExecTimeoutError, Microsandbox } from "@microsandbox/edge";
 * import { type ExecFaultOptions, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const sandbox = await msb.sandboxes.create({ name: "slow", image: "alpine" });
 * const twice: ExecFaultOptions = { sockets: 2 };
 * cloud.faults.execFault("stall", twice);
 *
 * for (let attempt = 0; attempt < 2; attempt++) {
 *   await assert.rejects(sandbox.exec("echo", ["hi"], { timeout: 100 }), ExecTimeoutError);
 * }
 * assert.equal((await sandbox.exec("echo", ["hi"])).stdoutText(), "hi\n");
 * ```
 */
export interface ExecFaultOptions {
  /**
   * How many exec sockets (upgrades that succeed) get the fault.
   *
   * @default {1}
   */
  sockets?: number;
}

/**
 * What goes wrong on a log stream (`GET /v1/sandboxes/{id}/logs`), from the client's point of
 * view. The fault is taken by the next log request that gets its `200` stream (requests answered
 * with 400/401/404 take none):
 *
 * - `cutAfter`: after `events` log events (option `events`, default 1) the body fails, so the
 *   client sees a network error mid-stream (Deno: `TypeError: error reading a body from
 *   connection`).
 * - `garbage`: right after the first log event, a block of lines that are not valid field
 *   syntax, which readers must ignore: `:::%%%` (a comment), `%%%garbage` (an unknown field) and
 *   a bare `data` line without a colon (an event of type `message` with empty data).
 * - `invalidJson`: right after the first log event, an `event: log` whose data is not JSON.
 * - `unknownEvent`: right after the first log event, an `event: future` event with JSON data.
 * - `unknownSource`: right after the first log event, an `event: log` with source `"gpu"`.
 * - `stall`: the history (entries recorded before the request) is sent, then nothing more, not
 *   even heartbeats, with the body left open until the client goes away or the cloud closes.
 * - `endWithoutEvent`: the history is sent, then the body closes cleanly without `event: end`.
 *
 * @example Data that is not JSON fails the client's log stream
 * ```ts
 * import { Microsandbox, ProtocolError } from "@microsandbox/edge";
 * import { type LogFaultKind, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const sandbox = await msb.sandboxes.create({ name: "app", image: "alpine" });
 * cloud.appendLog("app", [{ source: "stdout", text: "ready\n" }]);
 *
 * const kind: LogFaultKind = "invalidJson";
 * cloud.faults.logFault(kind);
 * await assert.rejects(Array.fromAsync(sandbox.logs({ sources: ["stdout"] })), ProtocolError);
 * ```
 */
export type LogFaultKind =
  | "cutAfter"
  | "garbage"
  | "invalidJson"
  | "unknownEvent"
  | "unknownSource"
  | "stall"
  | "endWithoutEvent";

/**
 * Options of {@linkcode LocalCloudFaults.logFault}.
 *
 * @example The client resumes a log stream cut twice
 * ```ts
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type LogFaultOptions, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const sandbox = await msb.sandboxes.create({ name: "app", image: "alpine" });
 * cloud.appendLog("app", ["a\n", "b\n", "c\n"].map((text) => ({ source: "stdout", text })));
 * const options: LogFaultOptions = { events: 1, requests: 2 };
 * cloud.faults.logFault("cutAfter", options);
 *
 * const texts: string[] = [];
 * for await (const entry of sandbox.logs({ sources: ["stdout"] })) {
 *   texts.push(entry.text());
 *   if (texts.length === 3) break;
 * }
 * assert.deepEqual(texts, ["a\n", "b\n", "c\n"]);
 * assert.equal(cloud.requests.filter((request) => request.url.includes("/logs")).length, 3);
 * ```
 */
export interface LogFaultOptions {
  /**
   * For `cutAfter`: how many log events are sent before the body fails (a non-negative integer).
   *
   * @default {1}
   */
  events?: number;
  /**
   * How many log requests get the fault.
   *
   * @default {1}
   */
  requests?: number;
}

/**
 * What goes wrong on a port tunnel (`core.tcp.connect` on an agent socket), from the client's
 * point of view. The fault is taken by the next tunnel that connects:
 *
 * - `cutAfter`: after `bytes` bytes from the server (option `bytes`, default 0), the connection
 *   breaks: the cloud ends it and sends `core.tcp.closed` without `core.tcp.eof`, so the
 *   client's socket errors mid-stream.
 * - `stall`: after `bytes` bytes from the server, nothing more, with the tunnel left open until
 *   the client closes it, the sandbox stops or the cloud closes.
 *
 * @example Cut a connection after 5 bytes
 * ```ts
 * import { ConnectionError, Microsandbox } from "@microsandbox/edge";
 * import { type TcpFaultKind, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * if (cloud.isolation !== "none") {
 *   const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 *   const sandbox = await msb.sandboxes.create({ name: "cut", image: "alpine" });
 *   const server = await sandbox.spawn("python3", ["-c", [
 *     "import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
 *     "s.bind(('127.0.0.1', 7000)); s.listen(); print('up', flush=True)",
 *     "c, _ = s.accept(); c.sendall(b'hello, world'); c.recv(1)",
 *   ].join("\n")]);
 *   await server.stdout.getReader().read();
 *   const kind: TcpFaultKind = "cutAfter";
 *   cloud.faults.tcpFault(kind, { bytes: 5 });
 *   const socket = sandbox.connect(7000);
 *   await assert.rejects(new Response(socket.readable).text(), ConnectionError);
 *   await server.kill();
 * }
 * ```
 */
export type TcpFaultKind = "cutAfter" | "stall";

/**
 * Options of {@linkcode LocalCloudFaults.tcpFault}.
 *
 * @example Stall two tunnels after their first byte
 * ```ts
 * import { type TcpFaultOptions, startLocalCloud } from "@microsandbox/edge/testing";
 *
 * await using cloud = await startLocalCloud();
 * const options: TcpFaultOptions = { bytes: 1, tunnels: 2 };
 * cloud.faults.tcpFault("stall", options);
 * ```
 */
export interface TcpFaultOptions {
  /**
   * How many bytes from the server pass before the fault (a non-negative integer).
   *
   * @default {0}
   */
  bytes?: number;
  /**
   * How many tunnels get the fault.
   *
   * @default {1}
   */
  tunnels?: number;
}

/**
 * Fault injection for one local cloud.
 *
 * Every request is first recorded in {@linkcode LocalCloud.requests}, then authenticated (a
 * request without the right key gets its 401 and consumes no fault), then the faults act, then
 * the routes. For each request: a queued delay is served first, then a queued drop or, if none,
 * a queued failure; the route only runs when neither applies, so a dropped or failed request
 * changes nothing in the cloud. Calls queue up: `failNext(1, { status: 503 })` then
 * `failNext(1, { status: 429 })` fails the next request with 503 and the one after with 429.
 *
 * @example Answer the next request with 429 and a Retry-After header
 * ```ts
 * import assert from "node:assert/strict";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 *
 * await using cloud = await startLocalCloud();
 * cloud.faults.failNext(1, { status: 429, retryAfter: "1" });
 * const headers = { authorization: `Bearer ${cloud.apiKey}` };
 * const limited = await fetch(`${cloud.url}/v1/sandboxes`, { headers });
 * assert.equal(limited.status, 429);
 * assert.equal(limited.headers.get("retry-after"), "1");
 * assert.equal((await limited.json()).error.code, "rate_limited");
 * const ok = await fetch(`${cloud.url}/v1/sandboxes`, { headers });
 * assert.equal(ok.status, 200);
 * await ok.body?.cancel();
 * ```
 */
export interface LocalCloudFaults {
  /**
   * Answers the next `count` authenticated `/v1` requests with an error before any route acts:
   * the nested error body (`{"error": {"code", "message", "details": null}}`) unless `body` is
   * given, and a `Retry-After` header when `retryAfter` is.
   *
   * @param count How many requests to fail (a non-negative integer).
   * @param options The status, `Retry-After` value and error code.
   */
  failNext(count: number, options: FailNextOptions): void;
  /**
   * Answers the next `count` authenticated `/v1` requests with this body before any route acts,
   * such as a 200 whose JSON is not what the API promises. Shares one queue with `failNext`.
   *
   * @param count How many requests to answer (a non-negative integer).
   * @param options The status (default 200), the body and its content type.
   */
  replyNext(count: number, options: ReplyNextOptions): void;
  /**
   * Holds the next `count` authenticated `/v1` requests for `ms` milliseconds before handling
   * them (closing the cloud cuts the wait short).
   *
   * @param count How many requests to delay (a non-negative integer).
   * @param ms The delay in milliseconds.
   */
  delayNext(count: number, ms: number): void;
  /**
   * Cuts the connection of the next `count` authenticated `/v1` requests. Deno's server cannot
   * close a connection before the status line, so the cloud sends `200` with its headers and
   * then fails the body: a Deno `fetch` client gets the `Response` (status 200,
   * `transfer-encoding: chunked`) and reading its body (`res.text()`, `res.json()`, the body
   * stream) rejects with `TypeError: error reading a body from connection`. No route runs, unless
   * `afterRoute` is set.
   *
   * @param count How many requests to drop (a non-negative integer).
   * @param options Whether the route runs before the connection is cut.
   */
  dropNext(count: number, options?: DropNextOptions): void;
  /**
   * Plans the boot of the next sandbox that starts (through create with `start=true` or a start
   * route). Each call plans one boot.
   *
   * @param options Fail the boot with a message, and/or change how long it takes.
   */
  nextBoot(options: NextBootOptions): void;
  /**
   * Makes the next exec WebSockets misbehave (see {@linkcode ExecFaultKind}). Faults queue up
   * like the others: each socket takes the next one. REST faults (`failNext`, `delayNext`,
   * `dropNext`) also apply to upgrade requests, before any socket exists.
   *
   * @param kind What goes wrong.
   * @param options How many sockets it applies to.
   *
   * @example Receive every server byte as its own WebSocket message
   * ```ts
   * import assert from "node:assert/strict";
   * import { startLocalCloud } from "@microsandbox/edge/testing";
   *
   * await using cloud = await startLocalCloud({ generation: "current", bootDelayMs: 0 });
   * const headers = { authorization: `Bearer ${cloud.apiKey}` };
   * const res = await fetch(`${cloud.url}/v1/sandboxes?start=true`, {
   *   method: "POST",
   *   headers,
   *   body: JSON.stringify({ name: "split", image: { type: "oci", reference: "alpine" } }),
   * });
   * const { id } = await res.json();
   * cloud.faults.execFault("split");
   * const socket = new WebSocket(`${cloud.url.replace("http", "ws")}/v1/sandboxes/${id}/agent`, {
   *   headers,
   * });
   * socket.binaryType = "arraybuffer";
   * const messages: Uint8Array[] = [];
   * await new Promise<void>((resolve) => {
   *   socket.onmessage = (event) => {
   *     messages.push(new Uint8Array(event.data as ArrayBuffer));
   *     if (messages.length === 8) resolve();
   *   };
   * });
   * socket.close();
   * // The id range 1000..2000, one byte per message.
   * assert.deepEqual(messages.slice(0, 8), [0, 0, 3, 232, 0, 0, 7, 208].map((b) => Uint8Array.of(b)));
   * ```
   */
  execFault(kind: ExecFaultKind, options?: ExecFaultOptions): void;
  /**
   * Makes the next log streams misbehave (see {@linkcode LogFaultKind}). Faults queue up like the
   * others: each log request that gets a stream takes the next one.
   *
   * @param kind What goes wrong.
   * @param options After how many events `cutAfter` cuts, and how many requests get the fault.
   *
   * @example Cut a log stream after two events
   * ```ts
   * import assert from "node:assert/strict";
   * import { startLocalCloud } from "@microsandbox/edge/testing";
   *
   * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
   * const headers = { authorization: `Bearer ${cloud.apiKey}` };
   * const res = await fetch(`${cloud.url}/v1/sandboxes?start=true`, {
   *   method: "POST",
   *   headers,
   *   body: JSON.stringify({ name: "cut", image: { type: "oci", reference: "alpine" } }),
   * });
   * const { id } = await res.json();
   * cloud.appendLog("cut", [{ source: "stdout", text: "a\n" }, { source: "stdout", text: "b\n" }]);
   * cloud.faults.logFault("cutAfter", { events: 2 });
   * const logs = await fetch(`${cloud.url}/v1/sandboxes/${id}/logs?sources=stdout`, { headers });
   * assert.equal(logs.status, 200);
   * await assert.rejects(logs.text(), TypeError);
   * ```
   */
  logFault(kind: LogFaultKind, options?: LogFaultOptions): void;
  /**
   * Makes the next port tunnels misbehave (see {@linkcode TcpFaultKind}). Faults queue up like
   * the others: each tunnel that connects takes the next one.
   *
   * @param kind What goes wrong.
   * @param options After how many bytes, and how many tunnels get the fault.
   *
   * @example Stall the next tunnel from its start
   * ```ts
   * import { startLocalCloud } from "@microsandbox/edge/testing";
   *
   * await using cloud = await startLocalCloud();
   * cloud.faults.tcpFault("stall");
   * cloud.faults.reset();
   * ```
   */
  tcpFault(kind: TcpFaultKind, options?: TcpFaultOptions): void;
  /** Forgets every queued fault and boot plan. Requests already being delayed carry on. */
  reset(): void;
}
