// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { Decoder } from "cbor-x/decode";
import { Encoder } from "cbor-x/encode";
import { plainCbor } from "./_cbor_plain.ts";
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
const cborDecoder = new Decoder({ useRecords: false });

/**
 * Decodes one CBOR item into plain values only (numbers, bigints, strings, byte strings as views
 * of the input, arrays, objects, booleans, null, undefined): `plainCbor` checks it first and
 * leaves its tags out, so no cbor-x internal value comes out and no shared state changes.
 *
 * @throws {Error} When the bytes are not one such item, for the caller's `ProtocolError`.
 */
export function decodeCbor(bytes: Uint8Array): unknown {
  // A fresh view: cbor-x caches a DataView as a property of the array it decodes.
  return cborDecoder.decode(plainCbor(bytes).subarray(0));
}
