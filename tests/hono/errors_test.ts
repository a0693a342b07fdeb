import assert from "node:assert/strict";
import {
  AuthenticationError,
  CloudHttpError,
  ConflictError,
  ConnectionError,
  ExecFailedError,
  ExecTimeoutError,
  InvalidConfigError,
  InvalidCursorError,
  OutputLimitError,
  ProtocolError,
  RateLimitedError,
  RuntimeError,
  SandboxAlreadyExistsError,
  SandboxNotFoundError,
  SandboxNotRunningError,
  StreamStalledError,
  TimeoutError,
  UnsupportedError,
} from "../../mod.ts";
import { ROUTE_ERROR_STATUS, RouteError, toRouteError } from "../../src/hono/mod.ts";

Deno.test("toRouteError maps each MicrosandboxError kind to its code, with a message of ours", () => {
  const secret = "msb_live_secret body";
  const cases: [Error, string][] = [
    [new SandboxNotFoundError(secret), "not_found"],
    [new SandboxAlreadyExistsError(secret), "conflict"],
    [new ConflictError(secret), "conflict"],
    [new InvalidConfigError(secret), "invalid_request"],
    [new InvalidCursorError(secret), "invalid_request"],
    [new RateLimitedError(secret), "rate_limited"],
    [new UnsupportedError({ feature: "cmd", availableWhen: secret }), "unsupported"],
    [new ExecTimeoutError(5), "timeout"],
    [
      new SandboxNotRunningError(secret, { sandboxName: "a", sandboxStatus: "stopped" }),
      "not_running",
    ],
    [new OutputLimitError(1024, { cause: new Error(secret) }), "output_too_large"],
    [new RuntimeError(secret), "upstream_error"],
    [new CloudHttpError(secret, { status: 500, body: secret }), "upstream_error"],
    [new ProtocolError(secret), "upstream_error"],
    [new AuthenticationError(secret), "upstream_error"],
    [new ConnectionError(secret), "upstream_error"],
    [new TimeoutError(secret), "upstream_error"],
    [new StreamStalledError(secret), "upstream_error"],
    [new ExecFailedError(secret, { failureKind: "not_found" }), "exec_failed"],
  ];
  for (const [error, code] of cases) {
    const mapped = toRouteError(error);
    assert.equal(mapped.code, code, error.name);
    assert.equal(mapped.status, ROUTE_ERROR_STATUS[mapped.code]);
    assert.ok(!mapped.message.includes(secret), mapped.message);
    assert.equal(mapped.cause, error);
  }
});

Deno.test("toRouteError answers internal for unknown thrown values, and keeps a RouteError", async () => {
  for (const thrown of [new Error("db password"), "a string", undefined, { x: 1 }]) {
    const mapped = toRouteError(thrown);
    assert.deepEqual(mapped.toJSON(), { error: { code: "internal", message: "Internal error." } });
  }
  const own = new RouteError("forbidden", "No.");
  assert.equal(toRouteError(own), own);
  const response = own.toResponse();
  assert.equal(response.status, 403);
  assert.deepEqual(await response.json(), { error: { code: "forbidden", message: "No." } });
});
