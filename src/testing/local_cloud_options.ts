/**
 * The options of {@linkcode startLocalCloud}: {@linkcode LocalCloudOptions} (generation, key,
 * port, status delays, agent ids, isolation) and {@linkcode LocalCloudLogOptions}.
 *
 * @module
 */

import type { WireGeneration } from "../config/client_options.ts";
import type { IsolationMode } from "./isolation_mode.ts";

/**
 * Options of {@linkcode startLocalCloud}.
 *
 * @example A seed-generation cloud with a fixed key and instant boots
 * ```ts
 * import { Microsandbox } from "@microsandbox/edge";
 * import { type LocalCloudOptions, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * const options: LocalCloudOptions = {
 *   generation: "v0.5",
 *   apiKey: "msb_test_fixed",
 *   bootDelayMs: 0,
 *   stopDelayMs: 0,
 *   isolation: "none",
 * };
 * await using cloud = await startLocalCloud(options);
 * const msb = new Microsandbox({ apiKey: "msb_test_fixed", url: cloud.url, wire: "v0.5" });
 * const sandbox = await msb.sandboxes.create({ name: "seed", image: "alpine" });
 * assert.equal(sandbox.status, "running");
 * ```
 */
export interface LocalCloudOptions {
  /**
   * The wire generation to speak.
   *
   * @default {"current"}
   */
  generation?: WireGeneration;
  /**
   * The API key clients must send as `Authorization: Bearer <apiKey>`.
   *
   * @default {A random "msb_test_" followed by 32 hex digits}
   */
  apiKey?: string;
  /**
   * The loopback port to listen on; 0 picks a free one.
   *
   * @default {0}
   */
  port?: number;
  /**
   * Milliseconds from `starting` to `running`. A start (or create with `start=true`) is answered
   * at once with `starting`, or once the boot ends with `wait_for=running` (current generation)
   * and for every create with `start=true` on generation v0.5, as the seed cloud does.
   * With 0 the sandbox is `running` (or `failed`) already in the start response.
   *
   * @default {20}
   */
  bootDelayMs?: number;
  /**
   * Milliseconds from `stopping` to `stopped`. A stop is answered at once with `stopping`; a
   * start before the delay ends gets 409 `invalid_state_transition`. With 0 the sandbox is
   * `stopped` already in the stop response.
   *
   * @default {10}
   */
  stopDelayMs?: number;
  /**
   * The session ids the `agent` route grants each client in its relay handshake, as
   * `[min, max)`: integers with `0 <= min < max <= 4294967295` and at least one id above 0.
   *
   * @default {[1000, 2000]}
   */
  agentIdRange?: readonly [number, number];
  /**
   * How commands run: `"bubblewrap"` (each in its own namespaces with its sandbox's own root
   * view), `"namespaces"` (in its own namespaces on the host's file system), `"none"` (plain
   * host processes), or `"auto"` (the best the host allows). A mode the host does not allow is
   * rejected. See {@linkcode IsolationMode} and {@linkcode LocalCloud.isolation}.
   *
   * @default {"auto"}
   */
  isolation?: "auto" | IsolationMode;
}

/**
 * The log-stream options of {@linkcode startLocalCloud}, taken alongside
 * {@linkcode LocalCloudOptions}.
 *
 * @example See heartbeats on a quiet log stream
 * ```ts
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0, logHeartbeatMs: 20 });
 * const headers = { authorization: `Bearer ${cloud.apiKey}` };
 * const created = await fetch(`${cloud.url}/v1/sandboxes?start=true`, {
 *   method: "POST",
 *   headers,
 *   body: JSON.stringify({ name: "quiet", image: { type: "oci", reference: "alpine" } }),
 * });
 * const { id } = await created.json();
 * const logs = await fetch(`${cloud.url}/v1/sandboxes/${id}/logs?sources=stdout`, { headers });
 * const reader = logs.body!.pipeThrough(new TextDecoderStream()).getReader();
 * let text = "";
 * while (!text.includes(": ping")) text += (await reader.read()).value ?? "";
 * await reader.cancel();
 * assert.match(text, /^: ping$/m);
 * ```
 */
export interface LocalCloudLogOptions {
  /**
   * Milliseconds of silence after which an open log stream sends a `: ping` comment.
   *
   * @default {15000}
   */
  logHeartbeatMs?: number;
}
