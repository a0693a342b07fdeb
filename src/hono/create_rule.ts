// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { SandboxSpec } from "../models/sandbox_spec.ts";
import type { ContextLike } from "./context.ts";

/**
 * A spec field that a {@linkcode CreateRule} may let callers of `POST /` set as they send it
 * (type-checked): every field of `SandboxSpec` but `name` and `image`, which always pass,
 * `vcpus`, `memoryMib` and `diskSizeMib`, which pass within the rule's bounds, and `mounts`,
 * `patches` and `init`, which reach into the organisation's volumes or the guest's root and never
 * come from a caller. `network` passes as `{ enabled, maxConnections }`: its policy and secrets are
 * the app's to set, not a caller's.
 *
 * @example Fields a CI app lets its users choose
 * ```ts
 * import type { CreateField } from "@microsandbox/edge/hono";
 * import assert from "node:assert/strict";
 *
 * const fields: readonly CreateField[] = ["labels", "ephemeral", "idleTimeoutSecs"];
 * assert.ok(!fields.includes("registry"));
 * ```
 */
export type CreateField = Exclude<
  keyof SandboxSpec,
  "name" | "image" | "vcpus" | "memoryMib" | "diskSizeMib" | "mounts" | "patches" | "init"
>;

/**
 * Which spec a caller of `POST /` may ask for (the `create` option of `sandboxRoutes`). `name`
 * and `image` always pass (the name checked and in `scope`, the image among `images`); `vcpus`,
 * `memoryMib` and `diskSizeMib` pass up to their bound (more is 400 `invalid_request` naming the
 * field and the bound); the `fields` listed pass as sent, type-checked; any other field of the body
 * is 403 `forbidden`, naming it. Without `slug` among `fields`, the routes send a slug of their
 * own: the name's letters and digits plus 10 random ones, so no tenant can probe or take another's.
 *
 * @typeParam P What `authorize` returns.
 *
 * @example Let callers label their sandboxes, on two images, with up to 4 vCPUs
 * ```ts
 * import { Hono } from "hono";
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type CreateRule, sandboxRoutes } from "@microsandbox/edge/hono";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const client = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const create: CreateRule = { images: ["alpine", "python"], maxVcpus: 4, fields: ["labels"] };
 * const app = new Hono().route("/", sandboxRoutes({ authorize: () => ({ user: "ci" }), create, client }));
 * const post = (body: object) =>
 *   app.request("/", {
 *     method: "POST",
 *     headers: { "content-type": "application/json" },
 *     body: JSON.stringify(body),
 *   });
 *
 * const created = await post({ name: "ci-1", image: "alpine", vcpus: 4, labels: { team: "ci" } });
 * assert.equal(created.status, 201);
 * assert.match((await created.json()).slug, /^ci-1-[a-z0-9]{10}$/);
 * const refused = await post({ name: "ci-2", image: "alpine", env: { TOKEN: "x" } });
 * assert.equal(refused.status, 403);
 * assert.match((await refused.json()).error.message, /"env"/);
 * const tooBig = await post({ name: "ci-3", image: "alpine", vcpus: 8 });
 * assert.equal(tooBig.status, 400);
 * assert.match((await tooBig.json()).error.message, /"vcpus" must be an integer from 1 to 4/);
 * ```
 */
export interface CreateRule<P = unknown> {
  /**
   * The images callers may run: a list (compared exactly with the body's `image`), or a function
   * of the image, the principal and the context. Any other image is 403 `forbidden`. By default
   * any image reference (1 to 1024 characters, no spaces or control characters): the
   * organisation's registry credentials apply to any image a caller names, so list yours when
   * it has private ones.
   */
  images?:
    | readonly string[]
    | ((image: string, principal: P, c: ContextLike) => boolean | Promise<boolean>)
    | undefined;
  /**
   * The most vCPUs a caller may ask for.
   * @default {2}
   */
  maxVcpus?: number | undefined;
  /**
   * The most MiB of memory a caller may ask for.
   * @default {2048}
   */
  maxMemoryMib?: number | undefined;
  /**
   * The most MiB of root disk a caller may ask for.
   * @default {10240}
   */
  maxDiskSizeMib?: number | undefined;
  /**
   * Further spec fields callers may set, as they send them (type-checked). With `slug` among
   * them a caller may choose a slug, and since slugs are unique across the whole cloud, a 409
   * `conflict` then tells it that the slug exists somewhere, in any tenant or organisation.
   * @default {[]}
   */
  fields?: readonly CreateField[] | undefined;
}
