// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * A change to the sandbox's root filesystem, applied before it boots (current wire only). Guest
 * paths are absolute; `replace` (default `false`) allows overwriting what the image has; `mode` is
 * the permission bits, such as `0o644`. `copy_file` and `copy_dir` copy from the organisation's
 * host volume.
 *
 * @example A config file, a directory and a link
 * ```ts
 * import type { Patch, SandboxSpec } from "@microsandbox/edge";
 *
 * const patches: Patch[] = [
 *   { type: "text", path: "/etc/app.conf", content: "debug = true\n", mode: 0o644 },
 *   { type: "mkdir", path: "/srv/data", mode: 0o755 },
 *   { type: "symlink", target: "/srv/data", link: "/data" },
 *   { type: "append", path: "/etc/hosts", content: "10.0.0.2 db\n" },
 * ];
 * const spec: SandboxSpec = { name: "app-1", image: "alpine", patches };
 * ```
 */
export type Patch =
  | { type: "text"; path: string; content: string; mode?: number; replace?: boolean }
  | { type: "file"; path: string; content: Uint8Array; mode?: number; replace?: boolean }
  | { type: "copy_file"; src: string; dst: string; mode?: number; replace?: boolean }
  | { type: "copy_dir"; src: string; dst: string; replace?: boolean }
  | { type: "symlink"; target: string; link: string; replace?: boolean }
  | { type: "mkdir"; path: string; mode?: number }
  | { type: "remove"; path: string }
  | { type: "append"; path: string; content: string };

/**
 * A program that takes over as PID 1 once the sandbox's agent has set up (current wire only):
 * an absolute path in the image, or `auto` to find the image's init.
 *
 * @example systemd as init
 * ```ts
 * import type { InitSpec, SandboxSpec } from "@microsandbox/edge";
 *
 * const init: InitSpec = { cmd: "/lib/systemd/systemd", args: ["--unit=multi-user.target"] };
 * const spec: SandboxSpec = { name: "vm-1", image: "debian-systemd", init };
 * ```
 */
export interface InitSpec {
  /** The init program, an absolute guest path, or `auto`. */
  cmd: string;
  /** Its arguments (its own name is implied). */
  args?: string[];
  /** Variables added to the environment it inherits. */
  env?: Record<string, string>;
}
