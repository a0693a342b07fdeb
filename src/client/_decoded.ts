// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ProtocolError } from "../errors.ts";
import { DecodeFailure } from "../wire/_json_codec.ts";

/** Runs an adapter's decoder; a body of the wrong shape is a `ProtocolError` naming `operation`. */
export function decoded<T>(operation: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (!(error instanceof DecodeFailure)) throw error;
    throw new ProtocolError(`${operation}: failed to decode body: ${error.message}`, {
      operation,
      cause: error,
    });
  }
}
