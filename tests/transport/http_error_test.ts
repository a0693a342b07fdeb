import assert from "node:assert/strict";
import {
  ConflictError,
  RuntimeError,
  SandboxAlreadyExistsError,
  SandboxNotFoundError,
} from "../../mod.ts";
import { httpError } from "../../src/transport/_http_error.ts";

const same = (text: string): string => text;

Deno.test("httpError maps a 409 by what the request says it means, not by its operation", () => {
  const taken = httpError(
    { operation: "POST /v1/volumes", status: 409, body: "{}", conflict: SandboxAlreadyExistsError },
    same,
  );
  assert.ok(taken instanceof SandboxAlreadyExistsError);
  assert.equal(taken.status, 409);
  assert.equal(taken.operation, "POST /v1/volumes");

  const plain = httpError({ operation: "POST /v1/sandboxes", status: 409, body: "{}" }, same);
  assert.ok(plain instanceof ConflictError);
  assert.equal(plain.kind, "Conflict");
});

Deno.test("httpError lets a code outrank the request's conflict meaning", () => {
  const gone = httpError(
    {
      operation: "POST /v1/sandboxes",
      status: 409,
      body: JSON.stringify({ error: { code: "sandbox_not_found", message: "gone" } }),
      conflict: SandboxAlreadyExistsError,
    },
    same,
  );
  assert.ok(gone instanceof SandboxNotFoundError);
  assert.equal(gone.message, "POST /v1/sandboxes: gone");
  const other = httpError(
    { operation: "POST /v1/sandboxes", status: 502, body: "", conflict: SandboxAlreadyExistsError },
    same,
  );
  assert.ok(other instanceof RuntimeError);
});
