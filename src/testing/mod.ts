/**
 * A local microsandbox cloud for tests and development: {@linkcode startLocalCloud} serves the
 * msb-cloud REST API of either wire generation (`current`, per the published `openapi.json`, or
 * the seed's `v0.5`) on `127.0.0.1`, with bearer-key authentication, in-memory sandboxes that
 * move through `starting`, `running`, `stopping` and `stopped` on timers, readiness waits,
 * cursor pagination, a log of every request received, and fault injection (errors with
 * `Retry-After`, delays, dropped connections, failed boots).
 *
 * Its exec WebSockets speak the real frame protocol: the seed's `exec.cbor` route (`v0.5`) and
 * today's `agent` route with its relay handshake and multiplexed sessions (`current`). Each
 * command runs as a real process for its sandbox, under bubblewrap with the sandbox's own root
 * view (the host's system directories read-only, the sandbox's folder for the rest) where the
 * host allows it, else under `unshare` namespaces or plainly, as
 * {@linkcode LocalCloud.isolation} says (a development tool, not a security boundary);
 * `processes()` lists the live ones, and `faults.execFault` splits, batches, truncates or
 * stalls the frames.
 *
 * It uses Deno's HTTP server, so it runs under Deno only; `deno task cloud` runs it as a
 * standalone server and prints the `MSB_API_URL` and `MSB_API_KEY` to use.
 *
 * @example Start a cloud, create a sandbox, and see the request it received
 * ```ts
 * import assert from "node:assert/strict";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 *
 * await using cloud = await startLocalCloud({ generation: "current" });
 * const res = await fetch(`${cloud.url}/v1/sandboxes`, {
 *   method: "POST",
 *   headers: { authorization: `Bearer ${cloud.apiKey}` },
 *   body: JSON.stringify({ name: "build-42", image: { type: "oci", reference: "python" } }),
 * });
 * assert.equal(res.status, 200);
 * assert.equal((await res.json()).status, "created");
 * assert.equal(cloud.requests[0]?.url, "/v1/sandboxes");
 * ```
 *
 * @module
 */

export { startLocalCloud } from "./local_cloud.ts";
export type {
  IsolationMode,
  LocalCloud,
  LocalCloudLogEntry,
  LocalCloudLogOptions,
  LocalCloudMember,
  LocalCloudOptions,
  LocalCloudProcess,
  LocalCloudTunnel,
  RecordedRequest,
  WireGeneration,
} from "./local_cloud.ts";
export type {
  DropNextOptions,
  ExecFaultKind,
  ExecFaultOptions,
  FailNextOptions,
  LocalCloudFaults,
  LogFaultKind,
  LogFaultOptions,
  NextBootOptions,
  ReplyNextOptions,
  TcpFaultKind,
  TcpFaultOptions,
} from "./local_cloud_faults.ts";
