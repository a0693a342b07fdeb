// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { UnsupportedError } from "../errors.ts";
import type { Capabilities, WireAdapter } from "./wire_adapter.ts";

/** Where every capability a generation lacks is found: the v0.5 wire lacks only today's routes. */
const AVAILABLE_WHEN = 'with wire: "current"';

/**
 * The generation's `name` capability, or, where it has none, the seed's `Unsupported` error for
 * `feature` (what the caller asked for, such as `getById`). The one place that refuses what a
 * generation cannot do at all, before any request.
 */
export function capability<K extends keyof Capabilities>(
  wire: WireAdapter,
  name: K,
  feature: string,
): Capabilities[K] {
  const found = wire.capabilities[name];
  if (found === undefined) throw new UnsupportedError({ feature, availableWhen: AVAILABLE_WHEN });
  return found;
}
