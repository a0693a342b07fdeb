/**
 * Named volume mounts of a sandbox's spec (read by `../rest/_current_storage.ts`): checked
 * against the cloud's volumes and the host's layout, and turned into the host directories a
 * sandbox's commands see at their guest paths. Other mount types are accepted, not emulated.
 *
 * @module
 */

import { ApiError } from "../app/_error_body.ts";
import type { JsonObject } from "../rest/_sandbox_record.ts";
import { guestParts, SYSTEM_ENTRIES } from "../sandbox_dir/_guest_paths.ts";
import type { GuestMount } from "../sandbox_dir/_sandbox_dirs.ts";
import type { VolumeStore } from "./_volume_store.ts";

/**
 * Refuses named mounts of volumes that do not exist (a named volume must be created first), or
 * at a guest path the local cloud cannot bind (not below `/`, under the host's read-only system
 * directories, or twice).
 *
 * @param mounts The mounts of a spec.
 * @param volumes The cloud's volumes.
 */
export function requireVolumes(mounts: readonly JsonObject[], volumes: VolumeStore): void {
  const seen = new Set<string>();
  for (const mount of mounts.filter(isNamed)) {
    checkGuest(String(mount.guest), seen);
    if (!volumes.list().some((volume) => volume.name === mount.name)) {
      throw new ApiError(
        404,
        "volume_not_found",
        `Cannot mount volume ${
          JSON.stringify(mount.name)
        }: no volume has that name; create it first`,
      );
    }
  }
}

/**
 * The host directories behind a spec's mounts; a volume removed since is left out.
 *
 * @param spec The sandbox's response spec.
 * @param volumes The cloud's volumes.
 * @returns The mounts, in the spec's order.
 */
export async function guestMounts(spec: JsonObject, volumes: VolumeStore): Promise<GuestMount[]> {
  const mounts = Array.isArray(spec.mounts) ? spec.mounts as JsonObject[] : [];
  const out: GuestMount[] = [];
  for (const mount of mounts.filter(isNamed)) {
    const record = volumes.list().find((volume) => volume.name === mount.name);
    if (!record) continue;
    const readOnly = (mount.options as JsonObject | undefined)?.readonly === true;
    out.push({ guest: String(mount.guest), host: await volumes.dir(record), readOnly });
  }
  return out;
}

function isNamed(mount: JsonObject): boolean {
  return mount.type === "Named";
}

/** Refuses a guest path the cloud cannot bind, or one that `seen` (normalised) has already. */
function checkGuest(guest: string, seen: Set<string>): void {
  const parts = guestParts(guest);
  const normal = `/${parts.join("/")}`;
  const why = !guest.startsWith("/") || parts.length === 0 || guest.split("/").includes("..")
    ? "must be an absolute path below /"
    : SYSTEM_ENTRIES.includes(parts[0]!)
    ? `is under the host's read-only /${parts[0]}`
    : seen.has(normal)
    ? "is mounted twice"
    : undefined;
  seen.add(normal);
  if (why === undefined) return;
  throw new ApiError(
    400,
    "invalid_sandbox_config",
    `Cannot create a sandbox with mounts: guest ${JSON.stringify(guest)} ${why}`,
  );
}
