// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { UnsupportedError } from "../errors.ts";
import { CURRENT_ONLY } from "./_refuse.ts";
import type { Capabilities, WireAdapter } from "./wire_adapter.ts";

/**
 * The generation's `name` capability, or, where it has none, the seed's `Unsupported` error for
 * `feature` (what the caller asked for, such as `getById`): available with the current wire,
 * the only one with capabilities beyond what both share. The one place that refuses what a
 * generation cannot do at all, before any request.
 */
export function capability<K extends keyof Capabilities>(
  wire: WireAdapter,
  name: K,
  feature: string,
): Capabilities[K] {
  const found = wire.capabilities[name];
  if (found === undefined) throw new UnsupportedError({ feature, availableWhen: CURRENT_ONLY });
  return found;
}
