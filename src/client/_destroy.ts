// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// `destroy`: stop and remove the one sandbox a handle names, never another one made under the
// same name since. With the by-id routes the id is the address, so a recreated sandbox cannot be
// touched; without them (v0.5) every read checks the id before the next step.

import { ConflictError, SandboxNotFoundError } from "../errors.ts";
import type { SandboxInfo } from "../models/sandbox_info.ts";
import { stopThenWait } from "./_lifecycle.ts";
import type { SandboxApi } from "./_sandbox_api.ts";
import type { ReadSandbox } from "./_status_wait.ts";
import type { StopOptions } from "./request_options.ts";

/** Which sandbox a handle names. */
export interface Identity {
  id: string;
  name: string;
}

/**
 * Stops (waiting for `stopped`) and removes the sandbox `who`. A sandbox already gone is fine;
 * one recreated under the same name is refused with a `ConflictError` and left alone.
 */
export async function destroySandbox(
  api: SandboxApi,
  who: Identity,
  options: Omit<StopOptions, "wait"> = {},
): Promise<void> {
  const byId = api.wire.capabilities.byId !== undefined;
  try {
    if (byId) await destroyById(api, who, options);
    else await destroyByName(api, who, options);
  } catch (error) {
    if (!(error instanceof SandboxNotFoundError)) throw error;
    if (byId) await refuseIfRecreated(api, who, options.signal);
  }
}

async function destroyById(
  api: SandboxApi,
  who: Identity,
  options: Omit<StopOptions, "wait">,
): Promise<void> {
  const read: ReadSandbox = (signal) => api.get({ id: who.id }, { signal });
  if (isUp(await read(options.signal))) {
    await stopThenWait(() => api.stop({ id: who.id }, options), read, options);
  }
  await api.remove({ id: who.id }, options);
}

/**
 * By name, checking the id at every read. A sandbox recreated between the last read and the
 * delete would still be removed: the v0.5 wire has no way to name a sandbox by id.
 */
async function destroyByName(
  api: SandboxApi,
  who: Identity,
  options: Omit<StopOptions, "wait">,
): Promise<void> {
  const read: ReadSandbox = async (signal) => same(who, await api.get(who.name, { signal }));
  if (isUp(await read(options.signal))) {
    await stopThenWait(
      () => api.stop(who.name, options).then((info) => same(who, info)),
      read,
      options,
    );
  }
  await read(options.signal);
  await api.remove(who.name, options);
}

/** The by-id routes found nothing: say so if the name now belongs to another sandbox. */
async function refuseIfRecreated(
  api: SandboxApi,
  who: Identity,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    same(who, await api.get(who.name, { signal }));
  } catch (error) {
    if (!(error instanceof SandboxNotFoundError)) throw error;
  }
}

function same(who: Identity, info: SandboxInfo): SandboxInfo {
  if (info.id === who.id) return info;
  throw new ConflictError(
    `destroy: sandbox "${who.name}" is now another sandbox (id ${info.id}, this handle's is ` +
      `${who.id}): it was removed and recreated under the same name, and is left alone`,
  );
}

function isUp(info: SandboxInfo): boolean {
  return info.status === "starting" || info.status === "running";
}
