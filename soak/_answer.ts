// The typed-error detector: every failed answer of the adapter must be its JSON
// `{ error: { code, message } }` with a code it documents, the status of that code, and a code the
// operation can meet under the soak's faults (an `internal` answer, a bug, never is).

import { ROUTE_ERROR_STATUS, type RouteErrorCode } from "../src/hono/mod.ts";
import type { Failures } from "./_failures.ts";

/** What a failed answer said, once checked. */
export interface TypedError {
  code: RouteErrorCode;
  message: string;
}

/** The codes any operation that reaches the cloud may meet under the injected faults. */
export const UPSTREAM_FAULT_CODES: readonly RouteErrorCode[] = [
  "upstream_error",
  "rate_limited",
  "timeout",
];

/**
 * Checks the parsed body of a failure (a JSON answer, a stream's `error` event or a WebSocket
 * `error` message); records an `untyped_error` and returns `undefined` when it is not typed.
 */
export function typedError(
  body: unknown,
  status: number | undefined,
  allowed: readonly RouteErrorCode[],
  what: string,
  failures: Failures,
): TypedError | undefined {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = error?.code;
  if (typeof code !== "string" || !Object.hasOwn(ROUTE_ERROR_STATUS, code)) {
    failures.add("untyped_error", `${what}: ${status ?? "stream"} answer ${clip(body)}`);
    return undefined;
  }
  const known = code as RouteErrorCode;
  if (typeof error?.message !== "string" || error.message === "") {
    failures.add("untyped_error", `${what}: ${code} without a message`);
    return undefined;
  }
  if (status !== undefined && ROUTE_ERROR_STATUS[known] !== status) {
    failures.add("untyped_error", `${what}: ${code} answered with status ${status}`);
    return undefined;
  }
  if (!allowed.includes(known)) {
    failures.add("untyped_error", `${what}: unexpected ${code} (${error.message})`);
    return undefined;
  }
  return { code: known, message: error.message };
}

/** Reads and checks a failed JSON answer (its body consumed). */
export async function failedAnswer(
  response: Response,
  allowed: readonly RouteErrorCode[],
  what: string,
  failures: Failures,
): Promise<TypedError | undefined> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: reported as untyped below, with the text.
  }
  if (!response.headers.get("content-type")?.includes("application/json")) {
    failures.add("untyped_error", `${what}: ${response.status} answer not JSON: ${clip(text)}`);
    return undefined;
  }
  return typedError(body, response.status, allowed, what, failures);
}

function clip(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
