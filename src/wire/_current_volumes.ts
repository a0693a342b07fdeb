// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// Volumes on today's cloud: `CreateVolumeRequest` and `UpdateVolumeRequest` out, `VolumeResponse`
// (alone or as the array of `GET /v1/volumes`) in, and the bodies of the volume file routes
// (`{entries}`, `{metadata}`, `{exists}`), which openapi does not describe (protocol.md §2.3).

import { compact } from "../_compact.ts";
import { InvalidConfigError } from "../errors.ts";
import {
  VOLUME_KINDS,
  VOLUME_STATUSES,
  type VolumeFileInfo,
  type VolumeInfo,
  type VolumeSpec,
  type VolumeUpdate,
} from "../models/volume.ts";
import {
  arrayOf,
  boolean,
  date,
  decodeJson,
  integer,
  type JsonCodec,
  mapped,
  object,
  oneOf,
  optional,
  recordOf,
  required,
  string,
  withDefault,
} from "./_json_codec.ts";
import type { VolumesWire } from "./wire_adapter.ts";

const GIB = 2 ** 30;

const VOLUME_FIELDS = object({
  id: required(string),
  name: optional(string),
  kind: required(oneOf(VOLUME_KINDS)),
  status: required(oneOf(VOLUME_STATUSES)),
  usedBytes: optional(integer),
  capacityBytes: optional(integer),
  labels: withDefault(recordOf(string), () => ({})),
  createdAt: required(date),
  updatedAt: required(date),
});

const VOLUME: JsonCodec<VolumeInfo> = mapped(VOLUME_FIELDS, (fields) => ({
  ...fields,
  quotaGib: fields.capacityBytes === undefined ? undefined : fields.capacityBytes / GIB,
}));

const FILE: JsonCodec<VolumeFileInfo> = object({
  path: required(string),
  kind: required(oneOf(["file", "directory", "symlink", "other"] as const)),
  size: required(integer),
  mode: required(integer),
  uid: required(integer),
  gid: required(integer),
  readonly: required(boolean),
  accessedAt: optional(date),
  modifiedAt: optional(date),
  createdAt: optional(date),
});

const VOLUMES = arrayOf(VOLUME);
const ENTRIES = object({ entries: required(arrayOf(FILE)) });
const METADATA = object({ metadata: required(FILE) });
const EXISTS = object({ exists: required(boolean) });

/** `quotaGib` as `capacity_gib`: a whole number of GiB, at least 1. */
function capacityGib(quotaGib: number, operation: string): number {
  if (Number.isSafeInteger(quotaGib) && quotaGib >= 1) return quotaGib;
  throw new InvalidConfigError(
    `${operation}: quotaGib must be a whole number of GiB, at least 1 (got ${quotaGib})`,
    { operation },
  );
}

function createBody(spec: VolumeSpec): unknown {
  const operation = "POST /v1/volumes";
  if (typeof spec.name !== "string" || spec.name === "") {
    throw new InvalidConfigError(`${operation}: a volume needs a name`, { operation });
  }
  return compact({
    name: spec.name,
    labels: spec.labels ?? {},
    capacity_gib: spec.quotaGib === undefined ? undefined : capacityGib(spec.quotaGib, operation),
  });
}

function updateBody(change: VolumeUpdate): unknown {
  const operation = "PATCH /v1/volumes/:id";
  const { quotaGib, labels } = change;
  const body: Record<string, unknown> = {};
  if (quotaGib !== undefined) {
    body.capacity_gib = quotaGib === null ? null : capacityGib(quotaGib, operation);
  }
  if (labels !== undefined) body.labels = labels;
  return body;
}

/** The volume shapes of msb-cloud API 0.1.0 and of its volume file routes. */
export const currentVolumes: VolumesWire = {
  createBody,
  updateBody,
  decodeVolume: (body) => decodeJson(VOLUME, body, "volume"),
  decodeVolumes: (body) => decodeJson(VOLUMES, body, "volume list"),
  decodeEntries: (body) => decodeJson(ENTRIES, body, "listing").entries,
  decodeStat: (body) => decodeJson(METADATA, body, "stat").metadata,
  decodeExists: (body) => decodeJson(EXISTS, body, "answer").exists,
};
