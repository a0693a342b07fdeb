// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { UnsupportedError } from "../errors.ts";
import { effectiveLogSources, type LogSource } from "../logs/log_entry.ts";

/** What of `sandbox.logs()` options reaches the request. */
export interface LogsQuery {
  follow?: boolean | undefined;
  sources?: readonly LogSource[] | undefined;
}

/** Refuses `follow: false`, as both generations' SDKs do: msb-cloud has no bounded snapshot. */
export function requireFollow(query: LogsQuery): void {
  if (query.follow !== false) return;
  throw new UnsupportedError({
    feature: "Sandbox::log_stream(follow=false) on cloud",
    availableWhen: "when msb-cloud exposes bounded log snapshots",
  });
}

/** The `sources` parameter for the requested sources (none means the default three). */
export function sourcesParam(requested: readonly LogSource[]): string {
  return `sources=${effectiveLogSources(requested).join(",")}`;
}
