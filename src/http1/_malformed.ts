// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { ProtocolError } from "../errors.ts";

/** The one error of a response that breaks HTTP/1.1: what was wrong, in a sentence. */
export function malformed(reason: string): ProtocolError {
  return new ProtocolError(`Cannot read the HTTP/1.1 response: ${reason}`);
}
