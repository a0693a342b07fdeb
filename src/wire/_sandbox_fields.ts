// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { SANDBOX_STATUSES } from "../models/sandbox_info.ts";
import { boolean, date, oneOf, optional, required, string } from "./_json_codec.ts";

/** The fields of a sandbox body both generations share, as a table to spread into theirs. */
export const COMMON_SANDBOX_FIELDS = {
  id: required(string),
  orgId: required(string),
  name: required(string),
  status: required(oneOf(SANDBOX_STATUSES)),
  ephemeral: required(boolean),
  createdAt: required(date),
  startedAt: optional(date),
  stoppedAt: optional(date),
} as const;
