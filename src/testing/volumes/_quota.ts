/**
 * A volume's cap, enforced while bytes arrive: what room is left, and a stream that counts the
 * bytes passing through and fails with a 507 `quota_exceeded` once they pass that room.
 *
 * @module
 */

import { ApiError } from "../app/_error_body.ts";
import { GIB, type VolumeRecord, type VolumeStore } from "./_volume_store.ts";

/** A 507 `quota_exceeded` error. */
export function quotaExceeded(record: VolumeRecord): ApiError {
  return new ApiError(
    507,
    "quota_exceeded",
    `The write would take the volume past its cap of ${record.capacityGib} GiB: remove files ` +
      "or raise the cap",
  );
}

/**
 * Bytes the volume may still take, counting `replaced` (the bytes of what the write replaces)
 * as free; `Infinity` without a cap.
 */
export async function roomLeft(
  volumes: VolumeStore,
  record: VolumeRecord,
  replaced: number,
): Promise<number> {
  if (record.capacityGib === null) return Infinity;
  return record.capacityGib * GIB - (await volumes.usedBytes(record) - replaced);
}

/** Passes bytes through, failing with `quota_exceeded` once more than `room` have passed. */
export function quotaStream(
  record: VolumeRecord,
  room: number,
): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > room) throw quotaExceeded(record);
      controller.enqueue(chunk);
    },
  });
}
