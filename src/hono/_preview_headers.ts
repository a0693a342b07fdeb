// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The fields that cross the preview route. Into the sandbox: the request's end-to-end fields
// without the app's own credentials. Back to the browser: the response's end-to-end fields
// without those that would act on the app's whole origin rather than on the one response.

import { endToEndFields } from "../http1/_hop_by_hop.ts";

/**
 * Response fields a sandbox may not set on the app's origin: cookies (which the browser would
 * send to the app itself), `Clear-Site-Data` (which would log the user out of the app),
 * `Alt-Svc`, `Strict-Transport-Security` and `Service-Worker-Allowed` (which change how the
 * browser reaches, or what may control, every page of the origin).
 */
const ORIGIN_WIDE = new Set([
  "set-cookie",
  "set-cookie2",
  "clear-site-data",
  "alt-svc",
  "strict-transport-security",
  "service-worker-allowed",
]);

/** The fields of a preview request for the sandbox: end to end, minus `strip` (lower case). */
export function previewRequestHeaders(headers: Headers, strip: ReadonlySet<string>): Headers {
  return new Headers(endToEndFields(headers).filter(([name]) => !strip.has(name)));
}

/**
 * The fields of the sandbox's answer for the browser: end to end, minus the origin-wide ones,
 * and with `csp` added as one more `Content-Security-Policy` (the browser enforces every one it
 * gets, so the sandbox's own cannot loosen it) unless it is `false`.
 */
export function previewResponseHeaders(headers: Headers, csp: string | false): Headers {
  const fields = new Headers(endToEndFields(headers).filter(([name]) => !ORIGIN_WIDE.has(name)));
  if (csp !== false) fields.append("content-security-policy", csp);
  return fields;
}
