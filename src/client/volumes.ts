// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { VolumeSpec, VolumeUpdate } from "../models/volume.ts";
import type { VolumeApi } from "./_volume_api.ts";
import type { RequestOptions } from "./request_options.ts";
import { type Volume, volumeOf } from "./volume.ts";

let makeVolumes: (api: VolumeApi) => Volumes;

/** Builds `msb.volumes` over the given operations. */
export function volumesOf(api: VolumeApi): Volumes {
  return makeVolumes(api);
}

/**
 * The organisation's volumes, as `msb.volumes` (current wire only; with `wire: "v0.5"` every
 * call rejects with an `UnsupportedError` before any request). The cloud addresses a volume by
 * its id; the calls that take a name find the id in the list of volumes first, as the SDK does.
 *
 * @example Create, find, relabel and remove a volume
 * ```ts
 * import { Microsandbox, VolumeNotFoundError } from "@microsandbox/edge";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud();
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * await msb.volumes.create({ name: "datasets", quotaGib: 10, labels: { team: "ml" } });
 * assert.equal((await msb.volumes.get("datasets")).quotaGib, 10);
 * const updated = await msb.volumes.update("datasets", { labels: { team: "research" } });
 * assert.deepEqual(updated.labels, { team: "research" });
 * assert.ok((await msb.volumes.default()).isDefault);
 * await msb.volumes.remove("datasets");
 * await assert.rejects(msb.volumes.get("datasets"), VolumeNotFoundError);
 * ```
 */
export class Volumes {
  readonly #api: VolumeApi;

  static {
    makeVolumes = (api) => new Volumes(api);
  }

  private constructor(api: VolumeApi) {
    this.#api = api;
  }

  /**
   * Creates a named volume (`POST /v1/volumes`).
   *
   * @param spec Its name, labels and cap in whole GiB.
   * @param options A signal.
   * @returns The new volume.
   * @throws {VolumeAlreadyExistsError} When the name is taken.
   * @throws {InvalidConfigError} For a bad name or a cap that is not a whole number of GiB.
   */
  async create(spec: VolumeSpec, options?: RequestOptions): Promise<Volume> {
    return volumeOf(this.#api, await this.#api.create(spec, options));
  }

  /**
   * Finds a volume by name.
   *
   * @param name Its name.
   * @param options A signal.
   * @returns The volume, with its usage.
   * @throws {VolumeNotFoundError} When no volume has that name.
   */
  async get(name: string, options?: RequestOptions): Promise<Volume> {
    return volumeOf(this.#api, await this.#api.byName(name, "volumes.get", options));
  }

  /**
   * Lists every volume, the host volume included (`GET /v1/volumes`, not paged).
   *
   * @param options A signal.
   * @returns The volumes, with their usage.
   */
  async list(options?: RequestOptions): Promise<Volume[]> {
    return (await this.#api.list(options)).map((info) => volumeOf(this.#api, info));
  }

  /**
   * Reads the organisation's host volume, the default one (`GET /v1/volumes/default`).
   *
   * @param options A signal.
   * @returns The host volume.
   */
  async default(options?: RequestOptions): Promise<Volume> {
    return volumeOf(this.#api, await this.#api.default(options));
  }

  /**
   * Changes a volume's cap or labels.
   *
   * @param name The volume's name.
   * @param change What to change; unset fields stay.
   * @param options A signal.
   * @returns The volume as it is now.
   * @throws {VolumeNotFoundError} When no volume has that name.
   */
  async update(name: string, change: VolumeUpdate, options?: RequestOptions): Promise<Volume> {
    const { id } = await this.#api.byName(name, "volumes.update", options);
    return volumeOf(this.#api, await this.#api.update(id, change, options));
  }

  /**
   * Schedules a volume for deletion.
   *
   * @param name The volume's name.
   * @param options A signal.
   * @returns A promise that resolves once the cloud has accepted.
   * @throws {VolumeNotFoundError} When no volume has that name.
   */
  async remove(name: string, options?: RequestOptions): Promise<void> {
    const { id } = await this.#api.byName(name, "volumes.remove", options);
    await this.#api.remove(id, options);
  }
}
