/**
 * Paths inside a volume: the `x-msb-file-path` header (UTF-8, base64url without padding) or a
 * JSON field, checked and mapped to a host path inside the volume's directory. `..`, NUL and
 * anything that would leave the directory (through a symbolic link too) is a 400
 * `invalid_volume_path`.
 *
 * @module
 */

import { ApiError } from "../app/_error_body.ts";

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** A path of a volume, checked. */
export interface VolumePath {
  /** The path as the API reports it: `/` and the segments, such as `/docs/a.txt`. */
  readonly display: string;
  /** Where it lives on the host. */
  readonly host: string;
  /** Whether it is the volume's root. */
  readonly isRoot: boolean;
}

/** A 400 `invalid_volume_path` error. */
export function invalidVolumePath(why: string): ApiError {
  return new ApiError(400, "invalid_volume_path", `Invalid volume path: ${why}`);
}

/** A 404 `volume_file_not_found` error. */
export function fileNotFound(path: string): ApiError {
  return new ApiError(404, "volume_file_not_found", `No file or directory at ${path}`);
}

/** Decodes the `x-msb-file-path` header; a missing or malformed one is `invalid_volume_path`. */
export function decodePathHeader(header: string | undefined): string {
  if (header === undefined) throw invalidVolumePath("send the path in x-msb-file-path");
  if (!BASE64URL.test(header) || header.length % 4 === 1) {
    throw invalidVolumePath("x-msb-file-path is not base64url without padding");
  }
  const base64 = header.replaceAll("-", "+").replaceAll("_", "/");
  const bytes = Uint8Array.from(
    atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")),
    (c) => c.charCodeAt(0),
  );
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalidVolumePath("x-msb-file-path is not UTF-8");
  }
}

/**
 * Checks `path` and maps it into the volume's directory `root` (a real path). The segments `.`
 * and empty ones are skipped; `..` and NUL are refused; the deepest existing ancestor (the path
 * itself too, unless `followLeaf` is false, for a link that is removed or renamed) must stay
 * inside `root` once symbolic links are followed.
 */
export async function resolveVolumePath(
  root: string,
  path: unknown,
  followLeaf = true,
): Promise<VolumePath> {
  if (typeof path !== "string") throw invalidVolumePath("the path must be a string");
  if (path.includes("\0")) throw invalidVolumePath("the path holds a NUL byte");
  const segments = path.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw invalidVolumePath(`${JSON.stringify(path)} holds ".."`);
  const host = segments.length === 0 ? root : `${root}/${segments.join("/")}`;
  await requireInside(root, segments, followLeaf ? 0 : 1);
  return { display: `/${segments.join("/")}`, host, isRoot: segments.length === 0 };
}

/** Refuses a path whose existing part leads outside `root` through a symbolic link. */
async function requireInside(
  root: string,
  segments: readonly string[],
  skip: number,
): Promise<void> {
  for (let depth = segments.length - skip; depth >= 1; depth--) {
    const ancestor = `${root}/${segments.slice(0, depth).join("/")}`;
    const real = await Deno.realPath(ancestor).catch(() => undefined);
    if (real === undefined) continue;
    if (real !== root && !real.startsWith(`${root}/`)) {
      throw invalidVolumePath("the path leaves the volume through a symbolic link");
    }
    return;
  }
}
