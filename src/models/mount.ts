// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

/**
 * How the guest may use a mount.
 *
 * @example Read-only data
 * ```ts
 * import type { MountOptions } from "@microsandbox/edge";
 *
 * const options: MountOptions = { readonly: true, noexec: true };
 * ```
 */
export interface MountOptions {
  /** Writes fail. */
  readonly?: boolean;
  /** Programs on the mount cannot be executed directly. */
  noexec?: boolean;
  /** setuid and setgid bits are ignored. */
  nosuid?: boolean;
  /** Device files are ignored. */
  nodev?: boolean;
}

/**
 * A filesystem mounted in the sandbox (current wire only): a named volume of the organisation
 * (which must exist), or a tmpfs in the guest's memory. `guest` is an absolute path, one mount
 * per path.
 *
 * @example A shared cache and a scratch directory
 * ```ts
 * import type { Mount, SandboxSpec } from "@microsandbox/edge";
 *
 * const mounts: Mount[] = [
 *   { type: "named", name: "pip-cache", guest: "/root/.cache/pip" },
 *   { type: "tmpfs", guest: "/scratch", sizeMib: 256, options: { noexec: true } },
 * ];
 * const spec: SandboxSpec = { name: "build-42", image: "python", mounts };
 * ```
 */
export type Mount =
  | {
    type: "named";
    /** The volume's name. */
    name: string;
    /** Where it appears in the guest. */
    guest: string;
    options?: MountOptions;
    /** Whether guest file ownership is private to the sandbox or mirrors the volume's. */
    hostPermissions?: "private" | "mirror";
    /** How `stat()` results are virtualised. */
    statVirtualization?: "strict" | "relaxed" | "off";
  }
  | {
    type: "tmpfs";
    /** Where it appears in the guest. */
    guest: string;
    /** Its size cap in MiB. */
    sizeMib?: number;
    options?: MountOptions;
  };
