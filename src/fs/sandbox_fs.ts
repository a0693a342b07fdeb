// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { FsOp, FsResponse } from "../protocol/mod.ts";
import { dataOf, fsCall, fsEntryOf, type FsSubject, okData } from "./_fs_call.ts";
import { fsFailure } from "./_fs_failure.ts";
import { readStream } from "./_fs_read.ts";
import type { FsRoute } from "./_fs_route.ts";
import { type FsWriteData, writeFrom } from "./_fs_write.ts";
import type { FsEntry } from "./fs_entry.ts";

export type { FsWriteData };

/** Options of every guest filesystem call. */
export interface FsOptions {
  /** Aborts the call; a read or write in flight closes its socket, and its handle with it. */
  signal?: AbortSignal | undefined;
}

/** Options of `readFile`. */
export interface FsReadOptions extends FsOptions {
  /** The byte offset to start reading at (a whole number); 0 by default. */
  offset?: number | undefined;
  /** The most bytes to read (a whole number); to the end of the file by default. */
  length?: number | undefined;
  /**
   * The most bytes asked of the sandbox ahead of the reader (a positive whole number): the file
   * is read in requests of this many bytes, each sent once the reader took the one before. Where
   * the WebSocket cannot slow its peer down (Deno's, a browser's), the sandbox sends what was
   * asked whatever the reader's pace, so this bounds what a slow reader makes the process hold.
   * By default one request for all of it, as the Rust SDK reads.
   */
  readAhead?: number | undefined;
}

/** Options of `mkdir` and `remove`. */
export interface FsTreeOptions extends FsOptions {
  /** `mkdir`: make missing parents too; `remove`: remove a directory and everything in it. */
  recursive?: boolean | undefined;
}

let makeFs: (route: FsRoute) => SandboxFs;

/** Builds a sandbox's `fs` over its agent route. */
export function sandboxFs(route: FsRoute): SandboxFs {
  return makeFs(route);
}

/**
 * The guest filesystem of a running sandbox (`sandbox.fs`), over its agent socket: files as Web
 * Streams, directories, links. Every failure in the sandbox is a `SandboxFsOpsError` with the path
 * and why (`failureKind`: `not_found`, `is_a_directory`, `permission_denied`, …). Today's wire
 * only: on `wire: "v0.5"` every call rejects with `UnsupportedError`.
 *
 * @example Write a file, read it back
 * ```ts
 * import { Microsandbox } from "@microsandbox/edge";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud({ bootDelayMs: 0 });
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * await using sandbox = await msb.sandboxes.create({ name: "files", image: "alpine" });
 * await sandbox.fs.writeFile("/tmp/hello.txt", "hello\n");
 * assert.equal(await sandbox.fs.text("/tmp/hello.txt"), "hello\n");
 * assert.equal((await sandbox.fs.stat("/tmp/hello.txt")).size, 6);
 * ```
 */
export class SandboxFs {
  readonly #route: FsRoute;

  static {
    makeFs = (route) => new SandboxFs(route);
  }

  private constructor(route: FsRoute) {
    this.#route = route;
  }

  /**
   * Streams a file's bytes, read from the sandbox only as fast as you read them. Cancel the
   * stream (or abort `signal`) to stop the read in the sandbox.
   *
   * @param path The guest path.
   * @param options A signal, which bytes (from `offset`, at most `length`: the file's end first,
   * fewer) and how many to ask ahead of you (`readAhead`).
   * @returns The bytes; the stream errors with `SandboxFsOpsError` when the file cannot be read.
   * @throws {RangeError} When `offset` or `length` is not a whole number, or `readAhead` not a
   * positive one.
   */
  readFile(path: string, options: FsReadOptions = {}): ReadableStream<Uint8Array> {
    this.#route.require("SandboxFs::read");
    const { offset, length, readAhead } = options;
    for (const [name, value] of [["offset", offset], ["length", length]] as const) {
      if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
        throw new RangeError(`sandbox fs: readFile ${name} must be a whole number of bytes`);
      }
    }
    if (readAhead !== undefined && !(Number.isSafeInteger(readAhead) && readAhead > 0)) {
      throw new RangeError(
        "sandbox fs: readFile readAhead must be a positive whole number of bytes",
      );
    }
    const span = { offset, length, window: readAhead };
    return readStream(this.#route, { operation: "readFile", path }, options.signal, span);
  }

  /**
   * Reads a whole file.
   *
   * @param path The guest path.
   * @param options A signal.
   * @returns Its bytes.
   */
  async bytes(path: string, options: FsOptions = {}): Promise<Uint8Array> {
    return new Uint8Array(await new Response(this.readFile(path, options)).arrayBuffer());
  }

  /**
   * Reads a whole file as UTF-8 text.
   *
   * @param path The guest path.
   * @param options A signal.
   * @returns Its text.
   */
  async text(path: string, options: FsOptions = {}): Promise<string> {
    return new TextDecoder().decode(await this.bytes(path, options));
  }

  /**
   * Writes a file (created, or emptied first), from a string (UTF-8), bytes, a `Blob` or a
   * `ReadableStream`, sent in chunks of at most 3 MiB as fast as the socket takes them.
   *
   * @param path The guest path.
   * @param data The contents.
   * @param options A signal; aborting stops the write in the sandbox.
   */
  async writeFile(path: string, data: FsWriteData, options: FsOptions = {}): Promise<void> {
    this.#route.require("SandboxFs::write");
    await writeFrom(this.#route, { operation: "writeFile", path }, data, options.signal);
  }

  /**
   * Lists a directory.
   *
   * @param path The guest path.
   * @param options A signal.
   * @returns Its entries.
   */
  async list(path: string, options: FsOptions = {}): Promise<FsEntry[]> {
    const list = await this.#call("SandboxFs::list", {
      List: { path },
    }, options);
    return dataOf(list, { operation: "list", path }, "List").map(fsEntryOf);
  }

  /**
   * Describes an entry, following a symbolic link.
   *
   * @param path The guest path.
   * @param options A signal.
   * @returns The entry.
   */
  async stat(path: string, options: FsOptions = {}): Promise<FsEntry> {
    const subject = { operation: "stat", path };
    const response = await this.#call("SandboxFs::stat", {
      Stat: { path, followSymlink: true },
    }, options);
    return fsEntryOf(dataOf(response, subject, "Stat"));
  }

  /**
   * Tells whether an entry exists (a `stat` the agent could not answer means no).
   *
   * @param path The guest path.
   * @param options A signal.
   * @returns Whether it exists.
   */
  async exists(path: string, options: FsOptions = {}): Promise<boolean> {
    const response = await this.#call("SandboxFs::exists", {
      Stat: { path, followSymlink: true },
    }, options);
    return response.ok;
  }

  /**
   * Makes a directory. Without `recursive`, its parent must exist and it must not.
   *
   * @param path The guest path.
   * @param options `recursive` and a signal.
   */
  async mkdir(path: string, options: FsTreeOptions = {}): Promise<void> {
    const subject = { operation: "mkdir", path };
    this.#route.require("SandboxFs::mkdir");
    if (!options.recursive) await this.#mkdirChecks(subject, options);
    okData(await this.#call("SandboxFs::mkdir", { Mkdir: { path, mode: null } }, options), subject);
  }

  /**
   * Removes a file, a link or an empty directory; with `recursive`, a directory and all in it.
   *
   * @param path The guest path.
   * @param options `recursive` and a signal.
   */
  async remove(path: string, options: FsTreeOptions = {}): Promise<void> {
    const subject = { operation: "remove", path };
    const first: FsOp = options.recursive
      ? { RemoveDir: { path, recursive: true } }
      : { Remove: { path } };
    const response = await this.#call("SandboxFs::remove", first, options);
    if (response.ok) return;
    const failure = fsFailure(subject.operation, path, response.error);
    const retry: FsOp | undefined = options.recursive
      ? failure.failureKind === "not_a_directory" ? { Remove: { path } } : undefined
      : failure.failureKind === "is_a_directory"
      ? { RemoveDir: { path, recursive: false } }
      : undefined;
    if (!retry) throw failure;
    okData(await this.#call("SandboxFs::remove", retry, options), subject);
  }

  /**
   * Copies a file.
   *
   * @param from The guest path of the file.
   * @param to Where the copy goes.
   * @param options A signal.
   */
  async copy(from: string, to: string, options: FsOptions = {}): Promise<void> {
    const subject = { operation: "copy", path: from };
    okData(await this.#call("SandboxFs::copy", { Copy: { src: from, dst: to } }, options), subject);
  }

  /**
   * Renames (moves) an entry.
   *
   * @param from Its guest path.
   * @param to Its new guest path.
   * @param options A signal.
   */
  async rename(from: string, to: string, options: FsOptions = {}): Promise<void> {
    const subject = { operation: "rename", path: from };
    okData(
      await this.#call("SandboxFs::rename", { Rename: { src: from, dst: to } }, options),
      subject,
    );
  }

  /**
   * The canonical path of an entry, every link resolved.
   *
   * @param path The guest path.
   * @param options A signal.
   * @returns The resolved path.
   */
  async realPath(path: string, options: FsOptions = {}): Promise<string> {
    const subject = { operation: "realPath", path };
    return dataOf(
      await this.#call("SandboxFs::real_path", { RealPath: { path } }, options),
      subject,
      "Path",
    );
  }

  /**
   * The target of a symbolic link.
   *
   * @param path The link's guest path.
   * @param options A signal.
   * @returns The target, as stored in the link.
   */
  async readLink(path: string, options: FsOptions = {}): Promise<string> {
    const subject = { operation: "readLink", path };
    return dataOf(
      await this.#call("SandboxFs::read_link", { ReadLink: { path } }, options),
      subject,
      "Path",
    );
  }

  /**
   * Makes a symbolic link.
   *
   * @param target What the link points to.
   * @param path The link's guest path.
   * @param options A signal.
   */
  async symlink(target: string, path: string, options: FsOptions = {}): Promise<void> {
    const subject = { operation: "symlink", path };
    okData(
      await this.#call("SandboxFs::symlink", { Symlink: { target, linkPath: path } }, options),
      subject,
    );
  }

  async #mkdirChecks(subject: FsSubject, options: FsOptions): Promise<void> {
    const parent = subject.path.replace(/\/+$/, "").replace(/\/[^/]*$/, "") || "/";
    const up = await this.#call(
      "SandboxFs::mkdir",
      { Stat: { path: parent, followSymlink: true } },
      options,
    );
    const info = dataOf(up, { ...subject, path: parent }, "Stat");
    if (info.kind !== "dir") {
      throw fsFailure(subject.operation, parent, "mkdir: Not a directory (os error 20)");
    }
    const here = await this.#call("SandboxFs::mkdir", {
      Stat: { path: subject.path, followSymlink: false },
    }, options);
    if (here.ok) {
      throw fsFailure(subject.operation, subject.path, "mkdir: File exists (os error 17)");
    }
  }

  async #call(feature: string, op: FsOp, options: FsOptions): Promise<FsResponse> {
    this.#route.require(feature);
    const { signal } = options;
    signal?.throwIfAborted();
    const session = await this.#route.session(signal);
    const onAbort = () => session.close();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await fsCall(session, op);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }
}
