/**
 * The sandboxes' folders of one local cloud, the single owner of where a sandbox's files live:
 * a temporary directory per cloud, one subdirectory per sandbox, made on first use and laid out
 * as the sandbox's root (with the working directory its spec names), the mapping of a guest
 * path into it, and its removal. Exec runs commands in these folders; whatever else serves a
 * sandbox's files goes through the same instance.
 *
 * @module
 */

import { type HostLocation, locateGuestPath, normalGuestPath } from "./_guest_paths.ts";
import { layOutRoot, type SystemEntry } from "./_root_layout.ts";

/** A host directory a sandbox sees at a guest path, such as a named volume. */
export interface GuestMount {
  /** The normal guest path, such as `/data`. */
  readonly guest: string;
  /** The host directory. */
  readonly host: string;
  /** Whether the sandbox may only read it. */
  readonly readOnly: boolean;
}

/** The folders of one local cloud's sandboxes. */
export class SandboxDirs {
  readonly #entries: readonly SystemEntry[];
  readonly #workdirOf: (sandbox: string) => string | null;
  readonly #mountsOf: (sandbox: string) => Promise<readonly GuestMount[]>;
  #root: Promise<string> | undefined;
  readonly #dirs = new Map<string, Promise<string>>();

  /**
   * Creates an empty set; nothing touches the disk until the first folder is asked for.
   *
   * @param entries The host's system entries each folder gets mount points and symlinks for.
   * @param workdirOf The working directory a sandbox's spec names (made in its folder), if any.
   * @param mountsOf The host directories a sandbox's spec mounts (named volumes), if any.
   */
  constructor(
    entries: readonly SystemEntry[],
    workdirOf: (sandbox: string) => string | null = () => null,
    mountsOf: (sandbox: string) => Promise<readonly GuestMount[]> = () => Promise.resolve([]),
  ) {
    this.#entries = entries;
    this.#workdirOf = workdirOf;
    this.#mountsOf = mountsOf;
  }

  /**
   * The host directories the sandbox sees at guest paths, each with its mount point made in the
   * sandbox's folder.
   *
   * @param sandbox The sandbox id.
   * @returns The mounts, in the spec's order.
   */
  async mounts(sandbox: string): Promise<readonly GuestMount[]> {
    const root = await this.path(sandbox);
    const mounts = await this.#mountsOf(sandbox);
    for (const mount of mounts) {
      await Deno.mkdir(locateGuestPath(root, mount.guest).path, { recursive: true });
    }
    return mounts;
  }

  /**
   * The sandbox's folder (its `/`), made and laid out as a root on first use.
   *
   * @param sandbox The sandbox id.
   * @returns The host path.
   */
  path(sandbox: string): Promise<string> {
    let dir = this.#dirs.get(sandbox);
    if (!dir) {
      dir = this.#rootDir().then(async (root) => {
        const path = `${root}/sandboxes/${sandbox}`;
        await Deno.mkdir(path, { recursive: true });
        await layOutRoot(path, this.#entries);
        await this.#makeWorkdir(sandbox, path);
        return path;
      });
      dir.catch(() => this.#dirs.delete(sandbox));
      this.#dirs.set(sandbox, dir);
    }
    return dir;
  }

  /**
   * Where a guest path of the sandbox lives on the host (its folder made on first use): under
   * a mount, in the mounted directory; under a system entry, the host's own path (read-only);
   * anywhere else, inside the folder (`..` never leaves it).
   *
   * @param sandbox The sandbox id.
   * @param guestPath The path as the sandbox sees it.
   * @returns The host path and whether it is read-only.
   */
  async resolve(sandbox: string, guestPath: string | null): Promise<HostLocation> {
    const root = await this.path(sandbox);
    const normal = normalGuestPath(guestPath);
    const mount = (await this.#mountsOf(sandbox)).find((each) =>
      normal === each.guest || normal.startsWith(`${each.guest}/`)
    );
    if (!mount) return locateGuestPath(root, guestPath);
    return { path: `${mount.host}${normal.slice(mount.guest.length)}`, readOnly: mount.readOnly };
  }

  /**
   * Removes the sandbox's folder, if it has one.
   *
   * @param sandbox The sandbox id.
   * @returns A promise that resolves once it is gone. Never rejects.
   */
  async remove(sandbox: string): Promise<void> {
    const dir = this.#dirs.get(sandbox);
    this.#dirs.delete(sandbox);
    if (dir) await dir.then((path) => Deno.remove(path, { recursive: true })).catch(() => {});
  }

  /**
   * Removes the cloud's directory with every sandbox's folder in it.
   *
   * @returns A promise that resolves once it is gone. Never rejects.
   */
  async removeAll(): Promise<void> {
    const root = this.#root;
    if (root) await root.then((path) => Deno.remove(path, { recursive: true })).catch(() => {});
  }

  /** Makes the spec's working directory, as an image's `WORKDIR` is made (not under /usr & co). */
  async #makeWorkdir(sandbox: string, sandboxDir: string): Promise<void> {
    const workdir = this.#workdirOf(sandbox);
    if (workdir === null) return;
    const place = locateGuestPath(sandboxDir, workdir);
    if (!place.readOnly) await Deno.mkdir(place.path, { recursive: true });
  }

  #rootDir(): Promise<string> {
    if (!this.#root) {
      const root = Deno.makeTempDir({ prefix: "msb-local-cloud-" });
      root.catch(() => {
        if (this.#root === root) this.#root = undefined;
      });
      this.#root = root;
    }
    return this.#root;
  }
}
