// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { Decoder } from "cbor-x/decode";
import { Encoder } from "cbor-x/encode";

/** Writes what ciborium writes for our payloads: untagged byte strings, shortest map heads. */
export const cborEncoder: Encoder = new Encoder({
  useRecords: false,
  tagUint8Array: false,
  variableMapSize: true,
});

/** Reads maps as plain objects; byte strings come out as views of the input. */
export const cborDecoder: Decoder = new Decoder({ useRecords: false });
