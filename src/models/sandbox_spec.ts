// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/** The guest log level of a sandbox. */
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

/** A resource limit kind, as `setrlimit` names it. */
export type RlimitResource = typeof RLIMIT_RESOURCES[number];

/** A resource limit of every process in the sandbox (current wire only). */
export interface Rlimit {
  /** The resource. */
  resource: RlimitResource;
  /** The soft limit. */
  soft: number;
  /** The hard limit. */
  hard: number;
}

/** How the cloud authenticates to the image registry (current wire only). */
export type RegistryAuth =
  | { mode: "auto" }
  | { mode: "anonymous" }
  | { mode: "inline"; username: string; password: string }
  | { mode: "specific"; credentialId: string };

/** Network settings of a sandbox (current wire only). */
export interface NetworkSpec {
  /**
   * Whether the sandbox has a network at all.
   * @default {true}
   */
  enabled?: boolean;
  /** The most concurrent connections the sandbox may open. */
  maxConnections?: number;
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
}
