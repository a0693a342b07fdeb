// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { Decoder } from "cbor-x/decode";
import { Encoder } from "cbor-x/encode";
// Settles cbor-x's optional native accelerator for every consumer's resolver. cbor-x asks for
// `cbor-extract@^2.2.2`, whose newest release names platform packages that registries may not
// serve, and Deno resolves every optional package for every platform, failing on a missing one
// (`deno add jsr:@microsandbox/edge` would fail). Depending on cbor-extract 2.2.2 ourselves makes
// that range resolve to it, on Deno (with or without node_modules), npm and Bun alike. Only its
// package.json is loaded: the accelerator never runs (cbor-x/decode and /encode do not load it).
import "cbor-extract/package.json" with { type: "json" };

/** Writes what ciborium writes for our payloads: untagged byte strings, shortest map heads. */
export const cborEncoder: Encoder = new Encoder({
  useRecords: false,
  tagUint8Array: false,
  variableMapSize: true,
});

/** Reads maps as plain objects; byte strings come out as views of the input. */
export const cborDecoder: Decoder = new Decoder({ useRecords: false });
