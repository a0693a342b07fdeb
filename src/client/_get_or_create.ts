// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// `getOrCreate`: the sandbox of that name, started, or a new one made from the spec; two callers
// racing for the same name both end up with the one sandbox the cloud kept.

import { SandboxAlreadyExistsError, SandboxNotFoundError } from "../errors.ts";
import type { SandboxInfo } from "../models/sandbox_info.ts";
import type { SandboxSpec } from "../models/sandbox_spec.ts";
import { createSandbox, startSandbox, waitForSandbox } from "./_lifecycle.ts";
import type { SandboxApi } from "./_sandbox_api.ts";
import type { CreateOptions } from "./request_options.ts";

/**
 * Reads the sandbox named `spec.name`; when there is none, creates it from `spec`; when the create
 * meets a 409 (someone created it meanwhile), reads it again. With `start` (the default), a found
 * sandbox that is `created` or `stopped` is started and one that is `starting` is waited for. The
 * spec is checked before any request; a found sandbox is returned whatever its spec.
 */
export async function getOrCreateSandbox(
  api: SandboxApi,
  spec: SandboxSpec,
  options: CreateOptions = {},
): Promise<SandboxInfo> {
  const start = options.start ?? true;
  api.createRequest(spec, { start, waitTimeoutSecs: options.waitTimeoutSecs ?? 90 });
  const found = await existing(api, spec.name, options.signal);
  if (found) return start ? await running(api, found, options) : found;
  try {
    return await createSandbox(api, spec, options);
  } catch (error) {
    if (!(error instanceof SandboxAlreadyExistsError)) throw error;
    const raced = await api.get(spec.name, options);
    return start ? await running(api, raced, options) : raced;
  }
}

async function existing(
  api: SandboxApi,
  name: string,
  signal: AbortSignal | undefined,
): Promise<SandboxInfo | undefined> {
  try {
    return await api.get(name, { signal });
  } catch (error) {
    if (error instanceof SandboxNotFoundError) return undefined;
    throw error;
  }
}

/** Starts a sandbox at rest, waits for one on its way; any other status is the caller's to read. */
async function running(
  api: SandboxApi,
  info: SandboxInfo,
  options: CreateOptions,
): Promise<SandboxInfo> {
  if (info.status === "created" || info.status === "stopped") {
    return await startSandbox(api, info.name, options);
  }
  if (info.status !== "starting") return info;
  const timeout = (options.waitTimeoutSecs ?? 90) * 1000;
  return await waitForSandbox((signal) => api.get(info.name, { signal }), "running", {
    timeout,
    signal: options.signal,
  });
}
