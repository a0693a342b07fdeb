// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { VolumeInfo, VolumeKind, VolumeStatus, VolumeUpdate } from "../models/volume.ts";
import type { VolumeApi } from "./_volume_api.ts";
import type { RequestOptions } from "./request_options.ts";
import { type VolumeFs, volumeFsOf } from "./volume_fs.ts";

let makeVolume: (api: VolumeApi, info: VolumeInfo) => Volume;

/** Builds the handle of a volume the cloud described. */
export function volumeOf(api: VolumeApi, info: VolumeInfo): Volume {
  return makeVolume(api, info);
}

/**
 * A volume: its fields as last read (those of {@linkcode VolumeInfo}), its files as `fs`, and what
 * can be done to it. Get one from `msb.volumes` (current wire only).
 *
 * @example Cap a volume, then remove it
 * ```ts
 * import { Microsandbox } from "@microsandbox/edge";
 * import { startLocalCloud } from "@microsandbox/edge/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await startLocalCloud();
 * const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
 * const volume = await msb.volumes.create({ name: "scratch" });
 * assert.equal(volume.quotaGib, undefined);
 * const capped = await volume.update({ quotaGib: 2 });
 * assert.equal(capped.capacityBytes, 2 * 2 ** 30);
 * await capped.remove();
 * ```
 */
export class Volume implements VolumeInfo {
  declare readonly id: string;
  declare readonly name: string | undefined;
  declare readonly kind: VolumeKind;
  declare readonly status: VolumeStatus;
  declare readonly usedBytes: number | undefined;
  declare readonly capacityBytes: number | undefined;
  declare readonly quotaGib: number | undefined;
  declare readonly labels: Readonly<Record<string, string>>;
  declare readonly createdAt: Date;
  declare readonly updatedAt: Date;
  /** Its files, over REST; they can be read and written while no sandbox runs. */
  readonly fs: VolumeFs;
  readonly #api: VolumeApi;

  static {
    makeVolume = (api, info) => new Volume(api, info);
  }

  private constructor(api: VolumeApi, info: VolumeInfo) {
    Object.assign(this, {
      id: info.id,
      name: info.name,
      kind: info.kind,
      status: info.status,
      usedBytes: info.usedBytes,
      capacityBytes: info.capacityBytes,
      quotaGib: info.quotaGib,
      labels: info.labels,
      createdAt: info.createdAt,
      updatedAt: info.updatedAt,
    });
    this.fs = volumeFsOf(api, info.id);
    this.#api = api;
  }

  /** Whether this is the organisation's host volume, the default one. */
  get isDefault(): boolean {
    return this.kind === "host";
  }

  /**
   * Changes the cap or the labels (`PATCH /v1/volumes/{id}`).
   *
   * @param change What to change; unset fields stay.
   * @param options A signal.
   * @returns The volume as it is now.
   */
  async update(change: VolumeUpdate, options?: RequestOptions): Promise<Volume> {
    return volumeOf(this.#api, await this.#api.update(this.id, change, options));
  }

  /**
   * Reads the volume again, with its usage (`GET /v1/volumes`).
   *
   * @param options A signal.
   * @returns The volume as it is now.
   * @throws {VolumeNotFoundError} When it is gone.
   */
  async refresh(options?: RequestOptions): Promise<Volume> {
    return volumeOf(this.#api, await this.#api.byId(this.id, options));
  }

  /**
   * Schedules the volume for deletion (`DELETE /v1/volumes/{id}`); the host volume cannot be.
   *
   * @param options A signal.
   * @returns A promise that resolves once the cloud has accepted.
   */
  async remove(options?: RequestOptions): Promise<void> {
    await this.#api.remove(this.id, options);
  }
}
