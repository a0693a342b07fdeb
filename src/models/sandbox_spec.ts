// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Mount } from "./mount.ts";
import type { NetworkPolicy } from "./network_policy.ts";
import type { InitSpec, Patch } from "./patch.ts";
import type { SecretsConfig } from "./secret.ts";

/**
 * The guest log level of a sandbox.
 *
 * @example More guest logs while debugging
 * ```ts
 * import type { LogLevel, SandboxSpec } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * function specFor(debugging: boolean): SandboxSpec {
 *   const logLevel: LogLevel = debugging ? "debug" : "warn";
 *   return { name: "build-42", image: "python", logLevel };
 * }
 * assert.equal(specFor(true).logLevel, "debug");
 * ```
 */
export type LogLevel = "error" | "warn" | "info" | "debug" | "trace";

/**
 * The resource limit kinds, as `setrlimit` names them (without `RLIMIT_`, lower case).
 *
 * @example Usage
 * ```ts
 * import { RLIMIT_RESOURCES } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * assert.ok(RLIMIT_RESOURCES.includes("nofile"));
 * ```
 */
export const RLIMIT_RESOURCES = [
  "cpu",
  "fsize",
  "data",
  "stack",
  "core",
  "rss",
  "nproc",
  "nofile",
  "memlock",
  "as",
  "locks",
  "sigpending",
  "msgqueue",
  "nice",
  "rtprio",
  "rttime",
] as const;

/**
 * A resource limit kind, as `setrlimit` names it.
 *
 * @example Reading a resource name the way `ulimit` users write it
 * ```ts
 * import { RLIMIT_RESOURCES, type RlimitResource } from "@microsandbox/edge";
 * import assert from "node:assert/strict";
 *
 * function resourceOf(name: string): RlimitResource {
 *   const wanted = name.toLowerCase().replace(/^rlimit_/, "");
 *   const resource = RLIMIT_RESOURCES.find((each) => each === wanted);
 *   if (resource === undefined) throw new TypeError(`Unknown resource limit: ${name}`);
 *   return resource;
 * }
 * assert.equal(resourceOf("RLIMIT_NOFILE"), "nofile");
 * assert.throws(() => resourceOf("RLIMIT_WINGS"), TypeError);
 * ```
 */
export type RlimitResource = typeof RLIMIT_RESOURCES[number];

/**
 * A resource limit of every process in the sandbox (current wire only).
 *
 * @example Room for many files, few processes
 * ```ts
 * import type { Rlimit, SandboxSpec } from "@microsandbox/edge";
 *
 * const rlimits: Rlimit[] = [
 *   { resource: "nofile", soft: 4096, hard: 65536 },
 *   { resource: "nproc", soft: 128, hard: 128 },
 * ];
 * const spec: SandboxSpec = { name: "build-42", image: "node", rlimits };
 * ```
 */
export interface Rlimit {
  /** The resource. */
  resource: RlimitResource;
  /** The soft limit. */
  soft: number;
  /** The hard limit. */
  hard: number;
}

/**
 * How the cloud authenticates to the image registry (current wire only).
 *
 * @example A private image
 * ```ts
 * import type { RegistryAuth, SandboxSpec } from "@microsandbox/edge";
 *
 * // A credential stored in the cloud, by its id; or `{ mode: "inline", username, password }`.
 * const registry: RegistryAuth = { mode: "specific", credentialId: "cred_ghcr_ci" };
 * const spec: SandboxSpec = { name: "app-1", image: "ghcr.io/org/app:1.2", registry };
 * ```
 */
export type RegistryAuth =
  | { mode: "auto" }
  | { mode: "anonymous" }
  | { mode: "inline"; username: string; password: string }
  | { mode: "specific"; credentialId: string };

/**
 * Network settings of a sandbox (current wire only).
 *
 * @example Offline, or a few connections
 * ```ts
 * import type { NetworkSpec, SandboxSpec } from "@microsandbox/edge";
 *
 * // Untrusted code gets no network at all.
 * const offline: NetworkSpec = { enabled: false };
 * // A crawler may open 16 connections at a time.
 * const throttled: NetworkSpec = { maxConnections: 16 };
 *
 * const untrusted: SandboxSpec = { name: "grader-7", image: "python", network: offline };
 * const crawler: SandboxSpec = { name: "crawler-1", image: "node", network: throttled };
 * ```
 */
export interface NetworkSpec {
  /**
   * Whether the sandbox has a network at all.
   * @default {true}
   */
  enabled?: boolean;
  /** The most concurrent connections the sandbox may open. */
  maxConnections?: number;
  /** Which traffic is allowed, in and out. */
  policy?: NetworkPolicy;
  /** Secrets swapped in only in requests to the hosts they allow. */
  secrets?: SecretsConfig;
}

/**
 * What a sandbox is made of. Only `name` and `image` are required; each wire generation refuses,
 * before any request, the fields it cannot express.
 *
 * @example The smallest spec
 * ```ts
 * import type { SandboxSpec } from "@microsandbox/edge";
 *
 * const spec: SandboxSpec = { name: "build-42", image: "python" };
 * ```
 */
export interface SandboxSpec {
  /** The sandbox name, unique in the organisation. */
  name: string;
  /** The OCI image reference, such as `python` or `ghcr.io/org/app:1.2`. */
  image: string;
  /**
   * Virtual CPUs.
   * @default {1}
   */
  vcpus?: number;
  /**
   * Memory in MiB.
   * @default {512}
   */
  memoryMib?: number;
  /** Root disk size in MiB (current wire only). */
  diskSizeMib?: number;
  /** Environment variables of every process. */
  env?: Record<string, string>;
  /** The working directory of commands. */
  workdir?: string;
  /** The shell of `shell()` and scripts. */
  shell?: string;
  /** The image entrypoint override. */
  entrypoint?: string[];
  /** The image command override (current wire only). */
  cmd?: string[];
  /** The guest hostname (v0.5 wire only). */
  hostname?: string;
  /** The user commands run as. */
  user?: string;
  /** The guest log level. */
  logLevel?: LogLevel;
  /** Named scripts, runnable by name. */
  scripts?: Record<string, string>;
  /** Labels to find the sandbox by (current wire only). */
  labels?: Record<string, string>;
  /**
   * Whether the sandbox is removed once it stops.
   * @default {false}
   */
  ephemeral?: boolean;
  /** Seconds after which the sandbox is stopped. */
  maxDurationSecs?: number;
  /** Seconds of idleness after which the sandbox is stopped. */
  idleTimeoutSecs?: number;
  /** A URL-safe alias of the name (current wire only). */
  slug?: string;
  /** Resource limits (current wire only). */
  rlimits?: Rlimit[];
  /** When the image is pulled (current wire only). */
  pullPolicy?: "if_missing" | "always" | "never";
  /** The security profile (current wire only). */
  securityProfile?: "default" | "restricted";
  /** Network settings (current wire only). */
  network?: NetworkSpec;
  /** Registry credentials (current wire only). */
  registry?: RegistryAuth;
  /** Named volumes and tmpfs mounted in the guest (current wire only). */
  mounts?: Mount[];
  /** Changes to the root filesystem before boot (current wire only). */
  patches?: Patch[];
  /** A program that takes over as PID 1 (current wire only). */
  init?: InitSpec;
}
