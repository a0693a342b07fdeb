/**
 * {@linkcode IsolationMode}: how the local cloud separates a sandbox's commands from the host.
 *
 * @module
 */

/**
 * How the local cloud separates a sandbox's commands from the host, best first:
 * - `"bubblewrap"`: each command runs under bubblewrap (`bwrap`) in its own user, pid and mount
 *   namespaces and its sandbox's network namespace (loopback only, shared by the sandbox's
 *   commands and port tunnels), with its sandbox's own root view: the host's system directories
 *   (`/usr`, `/etc`, `/bin`, `/lib*`) read-only, the sandbox's folder for everything else;
 * - `"namespaces"`: under util-linux `unshare`, in its own pid and mount namespaces and its
 *   sandbox's user and network namespaces, but on the host's file system (only the working
 *   directory is mapped into the sandbox's folder);
 * - `"none"`: a plain host process, on the host's file system.
 *
 * None of them is a security boundary: the local cloud is a development tool.
 *
 * @example Find out what the host allows
 * ```ts
 * import { type IsolationMode, startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * async function hostIsolation(): Promise<IsolationMode> {
 *   await using cloud = await startLocalCloud({ isolation: "auto" });
 *   return cloud.isolation;
 * }
 * assert.ok(["bubblewrap", "namespaces", "none"].includes(await hostIsolation()));
 *
 * await using plain = await startLocalCloud({ isolation: "none" });
 * assert.equal(plain.isolation, "none");
 * ```
 */
export type IsolationMode = "bubblewrap" | "namespaces" | "none";
