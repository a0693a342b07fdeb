// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { VolumeFileInfo } from "../models/volume.ts";
import { FileReadStream } from "../volumes/file_read_stream.ts";
import type { VolumeApi } from "./_volume_api.ts";
import type { RequestOptions } from "./request_options.ts";

/**
 * What {@linkcode VolumeFs.writeFile} accepts: text (sent as UTF-8), bytes, a `Blob`, or a
 * stream of bytes, sent as it is read.
 *
 * @example A file from a stream of chunks
 * ```ts
 * import type { FileData } from "@microsandbox/edge";
 *
 * const encoder = new TextEncoder();
 * const data: FileData = ReadableStream.from(["a,b\n", "1,2\n"].map((row) => encoder.encode(row)));
 * ```
 */
export type FileData = string | Uint8Array | Blob | ReadableStream<Uint8Array>;

/**
 * Options of {@linkcode VolumeFs.remove}.
 *
 * @example Removing a directory with what it holds
 * ```ts
 * import type { RemoveOptions } from "@microsandbox/edge";
 *
 * const options: RemoveOptions = { recursive: true };
 * ```
 */
export interface RemoveOptions extends RequestOptions {
  /**
   * Whether a directory goes with everything in it; without it, only an empty one is removed.
   * @default {false}
   */
  recursive?: boolean | undefined;
}

let makeVolumeFs: (api: VolumeApi, id: string) => VolumeFs;

/** Builds the file operations of the volume with the given id. */
export function volumeFsOf(api: VolumeApi, id: string): VolumeFs {
  return makeVolumeFs(api, id);
}

/**
 * A volume's files over REST, as `volume.fs` (current wire only). It works while no sandbox
 * runs. Paths are relative to the volume's root (a leading `/` means the root). A failure on a
 * file is a `SandboxFsOpsError`, as on `sandbox.fs`, with the `path` and a `failureKind`:
 * `not_found` (code `volume_file_not_found`), `invalid_path` for `..`, NUL and paths that leave
 * the volume (code `invalid_volume_path`), `no_space` past the volume's cap (`quota_exceeded`),
 * `other` for the rest (a 400, such as a directory that is not empty); `status` and `code` keep
 * the cloud's answer.
 *
 * @example Write a file, list it, read it back
 * ```ts
 * import { Microsandbox } from "@microsandbox/edge";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud();
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const volume = await msb.volumes.create({ name: "notes" });
 * await volume.fs.mkdir("/docs");
 * await volume.fs.writeFile("/docs/hello.txt", "hello\n");
 * assert.deepEqual((await volume.fs.list("/docs")).map((entry) => entry.path), ["/docs/hello.txt"]);
 * assert.equal(await volume.fs.readFile("/docs/hello.txt").text(), "hello\n");
 * await assert.rejects(volume.fs.stat("/docs/nope"), { failureKind: "not_found", path: "/docs/nope" });
 * ```
 */
export class VolumeFs {
  readonly #api: VolumeApi;
  readonly #id: string;

  static {
    makeVolumeFs = (api, id) => new VolumeFs(api, id);
  }

  private constructor(api: VolumeApi, id: string) {
    this.#api = api;
    this.#id = id;
  }

  /**
   * Reads a file as a stream (`GET …/files/content`); nothing is sent until the first read, and
   * cancelling the stream aborts the download.
   *
   * @param path The file's path.
   * @param options A signal.
   * @returns The stream, with `bytes()` and `text()` for the whole content.
   */
  readFile(path: string, options: RequestOptions = {}): FileReadStream {
    return new FileReadStream(async (signal) => {
      const response = await this.#api.readFile(this.#id, path, signal);
      return response.body ?? ReadableStream.from<Uint8Array>([]);
    }, options.signal);
  }

  /**
   * Creates or replaces a file (`PUT …/files/content`); a stream is uploaded as it is read, so
   * memory stays bounded whatever its size.
   *
   * @param path The file's path; its directory must exist.
   * @param data The content.
   * @param options A signal; aborting it cuts the upload.
   * @returns A promise that resolves once the cloud has stored the file.
   */
  async writeFile(path: string, data: FileData, options?: RequestOptions): Promise<void> {
    await this.#api.writeFile(this.#id, path, data, options);
  }

  /**
   * Lists a directory (`GET …/files`).
   *
   * @param path The directory's path; `/` for the root.
   * @param options A signal.
   * @returns Its entries.
   */
  async list(path: string, options?: RequestOptions): Promise<VolumeFileInfo[]> {
    return await this.#api.listFiles(this.#id, path, options);
  }

  /**
   * Describes a file or directory (`GET …/files/stat`).
   *
   * @param path Its path.
   * @param options A signal.
   * @returns What it is, its size, mode, owner and times.
   */
  async stat(path: string, options?: RequestOptions): Promise<VolumeFileInfo> {
    return await this.#api.stat(this.#id, path, options);
  }

  /**
   * Tells whether a path exists (`GET …/files/exists`).
   *
   * @param path The path.
   * @param options A signal.
   * @returns Whether it does.
   */
  async exists(path: string, options?: RequestOptions): Promise<boolean> {
    return await this.#api.exists(this.#id, path, options);
  }

  /**
   * Makes a directory and any missing parents (`POST …/files/mkdir`); an existing one is fine.
   *
   * @param path The directory's path.
   * @param options A signal.
   * @returns A promise that resolves once it exists.
   */
  async mkdir(path: string, options?: RequestOptions): Promise<void> {
    await this.#api.mkdir(this.#id, path, options);
  }

  /**
   * Removes a file or a directory (`DELETE …/files`).
   *
   * @param path Its path.
   * @param options `recursive` for a directory that is not empty, and a signal.
   * @returns A promise that resolves once it is gone.
   */
  async remove(path: string, options: RemoveOptions = {}): Promise<void> {
    await this.#api.removeFile(this.#id, path, options.recursive ?? false, options);
  }

  /**
   * Copies a file or a directory with its content (`POST …/files/copy`).
   *
   * @param from The source path.
   * @param to The destination path; replaced if it is a file.
   * @param options A signal.
   * @returns A promise that resolves once the copy is made.
   */
  async copy(from: string, to: string, options?: RequestOptions): Promise<void> {
    await this.#api.copy(this.#id, from, to, options);
  }

  /**
   * Moves a file or a directory (`POST …/files/rename`).
   *
   * @param from The current path.
   * @param to The new path.
   * @param options A signal.
   * @returns A promise that resolves once it has moved.
   */
  async rename(from: string, to: string, options?: RequestOptions): Promise<void> {
    await this.#api.rename(this.#id, from, to, options);
  }
}
