// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { concatBytes } from "../_concat.ts";
import { RouteError } from "./errors.ts";

/**
 * Reads a JSON object body of at most `limit` bytes, sent as `application/json` (anything else,
 * such as the `text/plain` a cross-site form can send with the user's cookies, is 415 before the
 * body is read). The limit holds while reading, whatever `Content-Length` says; an empty body is
 * `{}`.
 */
export async function readJsonObject(
  request: Request,
  limit: number,
): Promise<Record<string, unknown>> {
  if (!isJson(request.headers.get("content-type"))) {
    throw new RouteError(
      "unsupported_media_type",
      "The request body must be JSON sent with Content-Type: application/json.",
    );
  }
  const text = await readText(request, limit);
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RouteError("invalid_request", "The request body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RouteError("invalid_request", "The request body must be a JSON object.");
  }
  return value as Record<string, unknown>;
}

/** Whether the media type is `application/json`, parameters such as `charset` aside. */
function isJson(contentType: string | null): boolean {
  const type = (contentType ?? "").split(";", 1)[0]!;
  return type.trim().toLowerCase() === "application/json";
}

async function readText(request: Request, limit: number): Promise<string> {
  checkDeclaredSize(request, limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(concatBytes(chunks));
  } catch {
    throw new RouteError("invalid_request", "The request body is not valid UTF-8.");
  }
}

/**
 * Refuses (413) a body whose `Content-Length` is over `limit`, before it is read.
 *
 * @throws {RouteError} `payload_too_large`.
 */
export function checkDeclaredSize(request: Request, limit: number): void {
  if (Number(request.headers.get("content-length")) > limit) throw tooLarge(limit);
}

/** The 413 of a body over `limit` bytes. */
export function tooLarge(limit: number): RouteError {
  return new RouteError("payload_too_large", `The request body is over ${limit} bytes.`);
}

/** Passes at most `limit` bytes on; errors (413) at the chunk that goes over. */
export function byteLimit(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let size = 0;
  return new TransformStream({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > limit) throw tooLarge(limit);
      controller.enqueue(chunk);
    },
  });
}
