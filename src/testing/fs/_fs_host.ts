/**
 * The guest filesystem of one local cloud: the sandboxes' folders it acts on (the same
 * `SandboxDirs` exec runs commands in) and the count of file handles its agent sockets hold
 * open, which tests read to see that every way out of a read or write closed its handle.
 *
 * @module
 */

import type { SandboxDirs } from "../sandbox_dir/_sandbox_dirs.ts";

/** The cloud's guest filesystem. */
export class FsHost {
  /** The sandboxes' folders. */
  readonly dirs: SandboxDirs;
  #open = 0;

  /** @param dirs The sandboxes' folders, shared with exec. */
  constructor(dirs: SandboxDirs) {
    this.dirs = dirs;
  }

  /** How many file handles are open on every agent socket together. */
  get openHandles(): number {
    return this.#open;
  }

  /** Counts a handle opened. */
  opened(): void {
    this.#open++;
  }

  /** Counts a handle closed. */
  closed(): void {
    this.#open--;
  }
}
