/**
 * {@linkcode RecordedRequest}: one request as the local cloud received it, as
 * {@linkcode LocalCloud.requests} lists them.
 *
 * @module
 */

/**
 * One request the local cloud received, as received.
 *
 * @example Check what the client sent
 * ```ts
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type RecordedRequest, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud();
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * await msb.sandboxes.list();
 *
 * const [list]: readonly RecordedRequest[] = cloud.requests;
 * assert.equal(list?.method, "GET");
 * assert.match(list?.url ?? "", /^\/v1\/sandboxes/);
 * assert.equal(list?.headers.authorization, `Bearer ${cloud.apiKey}`);
 * assert.equal(list?.body, "");
 * ```
 */
export interface RecordedRequest {
  /** The HTTP method. */
  method: string;
  /** The path and query as received, e.g. `/v1/sandboxes/by-name/a%2Fb?x=1`. */
  url: string;
  /** The headers, with lower-case names; `authorization` is kept so tests can check it. */
  headers: Record<string, string>;
  /**
   * The body as text (`""` when there is none, and for an `application/octet-stream` upload such
   * as a volume file's content, which streams to its route unread).
   */
  body: string;
  /** `performance.now()` when the request arrived. */
  at: number;
}
