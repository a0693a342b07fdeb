// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { type OriginCheck, originCheck } from "./_origin.ts";
import type { PreviewOptions } from "./preview_options.ts";

/** The preview options with their defaults applied and checked. */
export interface ResolvedPreview {
  stripHeaders: ReadonlySet<string>;
  stripQuery: readonly string[];
  csp: string | false;
  maxBodyBytes: number;
  maxHeadMs: number;
  maxMessageBytes: number;
  /** The check of `preview.origin`; `undefined` when the routes' `origin` decides. */
  origin: OriginCheck | undefined;
}

/** Checks a positive bound (`name` as the error names it), or gives `fallback`. */
type Positive = (name: string, value: number | undefined, fallback: number) => number;

const DEFAULT_STRIP = ["authorization", "cookie", "proxy-authorization"];
const DEFAULT_CSP = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads";
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Checks `options.preview` at run time and applies the defaults. */
export function resolvePreview(
  options: PreviewOptions | undefined,
  positive: Positive,
): ResolvedPreview {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError("sandboxRoutes: options.preview must be an object");
  }
  const csp = options?.csp ?? DEFAULT_CSP;
  if (csp !== false && (typeof csp !== "string" || csp.trim() === "" || /[\r\n]/.test(csp))) {
    throw new TypeError(
      "sandboxRoutes: options.preview.csp must be a non-empty Content-Security-Policy or false",
    );
  }
  const stripHeaders = names("stripHeaders", options?.stripHeaders ?? DEFAULT_STRIP);
  if (!stripHeaders.every((name) => FIELD_NAME.test(name))) {
    throw new TypeError("sandboxRoutes: options.preview.stripHeaders must list header names");
  }
  return {
    stripHeaders: new Set(stripHeaders.map((name) => name.toLowerCase())),
    stripQuery: names("stripQuery", options?.stripQuery ?? []),
    csp,
    maxBodyBytes: positive("preview.maxBodyBytes", options?.maxBodyBytes, 64 * 1024 * 1024),
    maxHeadMs: positive("preview.maxHeadMs", options?.maxHeadMs, 60_000),
    maxMessageBytes: positive("preview.maxMessageBytes", options?.maxMessageBytes, 16 << 20),
    origin: options?.origin === undefined
      ? undefined
      : originCheck(options.origin, "preview.origin"),
  };
}

function names(option: string, list: unknown): string[] {
  if (Array.isArray(list) && list.every((name) => typeof name === "string" && name !== "")) {
    return [...list];
  }
  throw new TypeError(`sandboxRoutes: options.preview.${option} must be a list of names`);
}
