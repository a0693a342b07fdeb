/**
 * Opaque list cursors: base64url of `c1:<seq>`, meaning "sandboxes created after `seq`", so a
 * cursor stays valid when sandboxes before or after it are deleted.
 *
 * @module
 */

import { invalidRequest } from "../app/_error_body.ts";

const CURSOR_REGEXP = /^c1:(\d{1,15})$/;

/**
 * Encodes the cursor of the page that follows a sandbox.
 *
 * @param seq The creation number of the last sandbox of the page.
 * @returns The cursor.
 */
export function encodeCursor(seq: number): string {
  return btoa(`c1:${seq}`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Decodes a cursor from {@linkcode encodeCursor}.
 *
 * @param cursor The cursor from a `next_cursor`.
 * @returns The creation number to list after.
 * @throws {ApiError} 400 `invalid_request` for anything else.
 */
export function decodeCursor(cursor: string): number {
  let text = "";
  try {
    text = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    // Not base64: reported below like any other foreign cursor.
  }
  const match = CURSOR_REGEXP.exec(text);
  if (!match?.[1]) {
    throw invalidRequest(
      `Cannot use cursor ${JSON.stringify(cursor)}: pass the next_cursor of a previous page`,
    );
  }
  return Number(match[1]);
}
