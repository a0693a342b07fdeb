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
 * A volume: its fields as last read, its files as `fs`, and what can be done to it. Get one from
 * `msb.volumes` (current wire only).
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
  /** The volume's id (a UUID). */
  readonly id: string;
  /** Its name; `undefined` for the host volume. */
  readonly name: string | undefined;
  /** Whether it is the organisation's host volume or a named one. */
  readonly kind: VolumeKind;
  /** Where it is in its life. */
  readonly status: VolumeStatus;
  /** Bytes used when last read, when the cloud sampled them. */
  readonly usedBytes: number | undefined;
  /** Its storage cap in bytes, when it has one. */
  readonly capacityBytes: number | undefined;
  /** Its storage cap in GiB, when it has one. */
  readonly quotaGib: number | undefined;
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** When it was created. */
  readonly createdAt: Date;
  /** When it last changed. */
  readonly updatedAt: Date;
  /** Its files, over REST; they can be read and written while no sandbox runs. */
  readonly fs: VolumeFs;
  readonly #api: VolumeApi;

  static {
    makeVolume = (api, info) => new Volume(api, info);
  }

  private constructor(api: VolumeApi, info: VolumeInfo) {
    this.id = info.id;
    this.name = info.name;
    this.kind = info.kind;
    this.status = info.status;
    this.usedBytes = info.usedBytes;
    this.capacityBytes = info.capacityBytes;
    this.quotaGib = info.quotaGib;
    this.labels = info.labels;
    this.createdAt = info.createdAt;
    this.updatedAt = info.updatedAt;
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
