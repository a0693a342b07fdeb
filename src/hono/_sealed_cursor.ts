// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * List cursors as tenants see them: the upstream cursor sealed with AES-GCM (crypto.subtle, on
 * every runtime), so a tenant learns nothing of the upstream's positions and cannot forge or alter
 * one. Text: base64url of a 12-byte IV followed by the ciphertext and its tag.
 */

import { RouteError } from "./errors.ts";

const IV_BYTES = 12;
/** Authenticated with every cursor, so no other AES-GCM text under the same key passes as one. */
const PURPOSE = new TextEncoder().encode("@microsandbox/edge list cursor v1");

/** Seals and opens list cursors under one key: from `secret`, else random for this instance. */
export class SealedCursors {
  readonly #key: Promise<CryptoKey>;

  constructor(secret: string | undefined) {
    this.#key = secret === undefined ? randomKey() : keyFromSecret(secret);
  }

  /** The tenant's cursor for an upstream cursor. */
  async seal(cursor: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: PURPOSE },
      await this.#key,
      new TextEncoder().encode(cursor),
    );
    const bytes = new Uint8Array(IV_BYTES + sealed.byteLength);
    bytes.set(iv);
    bytes.set(new Uint8Array(sealed), IV_BYTES);
    return toBase64Url(bytes);
  }

  /** The upstream cursor inside a tenant's cursor; a `RouteError` for anything this did not seal. */
  async open(text: string): Promise<string> {
    const bytes = fromBase64Url(text);
    if (bytes !== undefined && bytes.length > IV_BYTES) {
      try {
        const plain = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: PURPOSE },
          await this.#key,
          bytes.subarray(IV_BYTES),
        );
        return new TextDecoder().decode(plain);
      } catch {
        // Tampered, foreign or sealed under another key: refused below.
      }
    }
    throw new RouteError(
      "invalid_request",
      "The query parameter cursor is not a cursor this list gave: pass the nextCursor of a previous answer, or no cursor to start over.",
    );
  }
}

function randomKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]) as Promise<CryptoKey>;
}

async function keyFromSecret(secret: string): Promise<CryptoKey> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return crypto.subtle.importKey("raw", digest, "AES-GCM", false, ["encrypt", "decrypt"]);
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}
