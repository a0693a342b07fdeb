// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The guest path of a file route, read from the raw request target (what the client sent, before
// any runtime or router decoded or resolved it) and refused unless it is already normal: every
// segment non-empty, not `.` or `..` in any spelling, without `/` `\` or control characters once
// decoded, and not percent-encoded twice. The path forwarded is the one the policy saw.

import { RouteError } from "./errors.ts";
import { rawPathname } from "./_raw_target.ts";

/** The longest guest path the routes forward, in UTF-8 bytes (Linux `PATH_MAX`). */
export const MAX_FILE_PATH_BYTES = 4096;

/**
 * The guest path of `segments`, the raw (percent-encoded) segments after `/files`: `/` for none
 * (or one empty, `/files/`), else `/` and the decoded segments joined.
 *
 * @throws {RouteError} `invalid_path` for any form that is not normal.
 */
export function guestPath(segments: readonly string[]): string {
  if (segments.length === 0 || (segments.length === 1 && segments[0] === "")) return "/";
  const path = `/${segments.map(decodeSegment).join("/")}`;
  if (new TextEncoder().encode(path).byteLength > MAX_FILE_PATH_BYTES) {
    throw invalidPath(`is longer than ${MAX_FILE_PATH_BYTES} bytes`);
  }
  return path;
}

/**
 * The raw segments after `/files` of `url` (the request's URL as received), given the route
 * pattern that matched it, such as `/api/sandboxes/:name/files/*`: one segment of the URL per
 * segment of the pattern before the wildcard.
 */
export function rawFileSegments(url: string, pattern: string): string[] {
  const before = pattern.split("/");
  const at = before.lastIndexOf(":name");
  if (at < 0 || before[at + 1] !== "files") {
    throw new RouteError(
      "internal",
      "The file routes are mounted under a pattern they cannot read.",
    );
  }
  return rawPathname(url).split("/").slice(at + 2);
}

/** One raw segment, decoded once and checked. */
function decodeSegment(raw: string): string {
  if (raw === "") throw invalidPath("has an empty segment (`//` or a trailing `/`)");
  if (/%2f/i.test(raw)) throw invalidPath("has a percent-encoded `/`");
  let segment: string;
  try {
    segment = decodeURIComponent(raw);
  } catch {
    throw invalidPath("has a percent-escape that is not valid UTF-8");
  }
  if (segment === "." || segment === "..") {
    throw invalidPath("has a `.` or `..` segment (in any spelling)");
  }
  if (segment.includes("\\")) throw invalidPath("has a backslash");
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(segment)) throw invalidPath("has a control character");
  if (/%[0-9a-f]{2}/i.test(segment)) throw invalidPath("is percent-encoded twice");
  return segment;
}

function invalidPath(why: string): RouteError {
  return new RouteError(
    "invalid_path",
    `The file path ${why}; send a normal absolute path, each segment percent-encoded once.`,
  );
}
