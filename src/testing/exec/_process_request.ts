/**
 * What the process layer is asked to run, and where: the protocol's `ExecRequest` fields as
 * {@linkcode ProcessRequest}, and the sandbox folder and host tools as {@linkcode ProcessPlace}.
 *
 * @module
 */

import type { GuestMount } from "../sandbox_dir/_sandbox_dirs.ts";
import type { HostInfo } from "./_isolation.ts";

/** One resource limit, as in the protocol's `ExecRlimit`. */
export interface ProcessRlimit {
  /** Lower-case resource name, e.g. `nofile`. */
  readonly resource: string;
  /** Soft limit. */
  readonly soft: number | bigint;
  /** Hard limit. */
  readonly hard: number | bigint;
}

/** What to run: the protocol's `ExecRequest` fields. */
export interface ProcessRequest {
  /** The program: a name looked up on `PATH`, or a path. */
  readonly cmd: string;
  /** The arguments after the program name. */
  readonly args: readonly string[];
  /** The full environment as `KEY=VALUE` entries; entries without `=` are dropped. */
  readonly env: readonly string[];
  /** The working directory in the sandbox; `null` is `/`. */
  readonly cwd: string | null;
  /** Ignored: commands run as the local cloud's user. */
  readonly user: string | null;
  /** Run under a terminal (output merged into stdout). */
  readonly tty: boolean;
  /** Terminal rows. */
  readonly rows: number;
  /** Terminal columns. */
  readonly cols: number;
  /** Resource limits, applied with `prlimit`. */
  readonly rlimits: readonly ProcessRlimit[];
}

/** Where a command runs. */
export interface ProcessPlace {
  /** The host folder that is the sandbox's `/`, laid out by `layOutRoot`. */
  readonly sandboxDir: string;
  /** The host's tools and isolation mode. */
  readonly host: HostInfo;
  /** The host directories the sandbox sees at guest paths (named volumes). */
  readonly mounts: readonly GuestMount[];
  /**
   * The `nsenter` prefix that joins the sandbox's network (`_sandbox_nets.ts`); `null` or
   * absent for a network of the command's own (under `none`: the host's).
   */
  readonly enter?: readonly string[] | null;
}
