/**
 * The volumes of one local cloud: the organisation's host volume (nameless, the default) and
 * the named ones, each a directory under the cloud's temporary volume root, made on first use.
 * Caps are in GiB as the API has them; usage is the sum of the sizes of the files under a
 * volume's directory.
 *
 * @module
 */

import { ApiError, invalidRequest } from "../app/_error_body.ts";

/** 2^30 bytes. */
export const GIB = 2 ** 30;

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** One volume. */
export interface VolumeRecord {
  readonly id: string;
  /** `null` for the host volume. */
  name: string | null;
  readonly kind: "host" | "managed";
  capacityGib: number | null;
  labels: Record<string, string>;
  readonly createdAt: string;
  updatedAt: string;
}

/** What a create asks for. */
export interface NewVolume {
  name: string;
  labels: Record<string, string>;
  capacityGib: number | null;
}

/** What an update changes; `undefined` leaves a field as it is. */
export interface VolumeChange {
  capacityGib?: number | null | undefined;
  labels?: Record<string, string> | undefined;
}

/** A 404 `volume_not_found` error. */
export function volumeNotFound(id: string): ApiError {
  return new ApiError(404, "volume_not_found", `Cannot find a volume with id ${id}`);
}

/** The volumes of one cloud, kept in memory, with their directories on disk. */
export class VolumeStore {
  readonly #volumes = new Map<string, VolumeRecord>();
  readonly #dirs = new Map<string, Promise<string>>();
  #root: Promise<string> | undefined;
  readonly host: VolumeRecord;

  constructor() {
    this.host = this.#add({ name: null, kind: "host", capacityGib: null, labels: {} });
  }

  /** Every volume, the host volume first, then in creation order. */
  list(): VolumeRecord[] {
    return [...this.#volumes.values()];
  }

  /** The volume with this id, or a 404. */
  byId(id: string): VolumeRecord {
    const found = this.#volumes.get(id);
    if (!found) throw volumeNotFound(id);
    return found;
  }

  /** Creates a named volume; a taken name is a 409 `name_already_exists`. */
  create(request: NewVolume): VolumeRecord {
    if (!NAME.test(request.name)) {
      throw invalidRequest(
        `Cannot create a volume named ${JSON.stringify(request.name)}: use lowercase letters ` +
          "and digits with single inner hyphens, such as team-ml",
      );
    }
    if (this.list().some((volume) => volume.name === request.name)) {
      throw new ApiError(
        409,
        "name_already_exists",
        `A volume named ${JSON.stringify(request.name)} already exists`,
      );
    }
    return this.#add({ ...request, kind: "managed" });
  }

  /** Changes a volume's cap or labels; the host volume cannot be capped (409). */
  update(record: VolumeRecord, change: VolumeChange): VolumeRecord {
    if (record.kind === "host" && change.capacityGib !== undefined) {
      throw new ApiError(409, "invalid_request", "the host volume cannot be capped");
    }
    if (change.capacityGib !== undefined) record.capacityGib = change.capacityGib;
    if (change.labels !== undefined) record.labels = change.labels;
    record.updatedAt = new Date().toISOString();
    return record;
  }

  /** Deletes a volume and its files; the host volume cannot be deleted (409). */
  async remove(record: VolumeRecord): Promise<void> {
    if (record.kind === "host") {
      throw new ApiError(409, "invalid_request", "the host volume cannot be deleted");
    }
    this.#volumes.delete(record.id);
    const dir = this.#dirs.get(record.id);
    this.#dirs.delete(record.id);
    if (dir) await dir.then((path) => Deno.remove(path, { recursive: true })).catch(() => {});
  }

  /** The volume's directory, made on first use. */
  dir(record: VolumeRecord): Promise<string> {
    let dir = this.#dirs.get(record.id);
    if (!dir) {
      dir = this.#rootDir().then(async (root) => {
        const path = `${root}/${record.id}`;
        await Deno.mkdir(path, { recursive: true });
        return await Deno.realPath(path);
      });
      dir.catch(() => this.#dirs.delete(record.id));
      this.#dirs.set(record.id, dir);
    }
    return dir;
  }

  /** Bytes used by the files under the volume's directory. */
  async usedBytes(record: VolumeRecord): Promise<number> {
    return await treeSize(await this.dir(record));
  }

  /** Removes every volume's directory. Never rejects. */
  async removeAll(): Promise<void> {
    const root = this.#root;
    if (root) await root.then((path) => Deno.remove(path, { recursive: true })).catch(() => {});
  }

  #add(fields: Omit<VolumeRecord, "id" | "createdAt" | "updatedAt">): VolumeRecord {
    const now = new Date().toISOString();
    const record = { id: crypto.randomUUID(), ...fields, createdAt: now, updatedAt: now };
    this.#volumes.set(record.id, record);
    return record;
  }

  #rootDir(): Promise<string> {
    this.#root ??= Deno.makeTempDir({ prefix: "msb-local-cloud-volumes-" });
    return this.#root;
  }
}

/** The sum of the sizes of the files under `path` (symbolic links count as themselves). */
export async function treeSize(path: string): Promise<number> {
  const info = await Deno.lstat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory) return info.size;
  let total = 0;
  for await (const entry of Deno.readDir(path)) total += await treeSize(`${path}/${entry.name}`);
  return total;
}
