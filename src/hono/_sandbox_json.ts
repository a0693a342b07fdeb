// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { SandboxInfo } from "../models/sandbox_info.ts";
import type { SandboxJson } from "./schema.ts";

/**
 * The JSON of a sandbox: its public fields, never its env or registry credentials. Its free text
 * (`statusReason`, `lastError`, labels) holds no form of the API key: the transport redacted every
 * string and key of the answer the sandbox was decoded from, with the one `redact` of
 * `transport/_redact.ts`.
 */
export function sandboxJson(sandbox: SandboxInfo): SandboxJson {
  const json: SandboxJson = {
    id: sandbox.id,
    name: sandbox.name,
    status: sandbox.status,
    image: sandbox.spec.image,
    ephemeral: sandbox.ephemeral,
    createdAt: sandbox.createdAt.toISOString(),
  };
  if (sandbox.slug !== undefined) json.slug = sandbox.slug;
  if (sandbox.statusReason !== undefined) json.statusReason = sandbox.statusReason;
  if (sandbox.startedAt) json.startedAt = sandbox.startedAt.toISOString();
  if (sandbox.stoppedAt) json.stoppedAt = sandbox.stoppedAt.toISOString();
  if (sandbox.lastError !== undefined) json.lastError = sandbox.lastError;
  if (sandbox.spec.labels) json.labels = sandbox.spec.labels;
  return json;
}
