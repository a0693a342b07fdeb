/**
 * Named volume mounts of a create body (`CloudVolumeMount` of type `named`): read and checked
 * into the spec the cloud echoes, and turned into the host directories a sandbox's commands
 * see at their guest paths. Other mount types are not emulated.
 *
 * @module
 */

import { ApiError } from "../app/_error_body.ts";
import type { JsonFields } from "../rest/_json_fields.ts";
import type { JsonObject } from "../rest/_sandbox_record.ts";
import { guestParts, SYSTEM_ENTRIES } from "../sandbox_dir/_guest_paths.ts";
import type { GuestMount } from "../sandbox_dir/_sandbox_dirs.ts";
import type { VolumeStore } from "./_volume_store.ts";

const OPTIONS = ["nodev", "noexec", "nosuid", "readonly"] as const;

function badMount(why: string): ApiError {
  return new ApiError(400, "invalid_sandbox_config", `Cannot create a sandbox with mounts: ${why}`);
}

/**
 * Reads `mounts`: each a named volume at an absolute guest path outside the host's system
 * directories, at most once per guest path.
 *
 * @param f The create body.
 * @returns The mounts as the response spec echoes them, every option filled in.
 */
export function readNamedMounts(f: JsonFields): JsonObject[] {
  const seen = new Set<string>();
  return f.objects("mounts").map((mount) => {
    const type = mount.string("type");
    if (type !== "named") {
      throw badMount(`the local cloud emulates named volumes only, not ${JSON.stringify(type)}`);
    }
    const name = mount.requiredString("name");
    const guest = mount.requiredString("guest");
    const parts = guestParts(guest);
    if (!guest.startsWith("/") || parts.length === 0 || guest.split("/").includes("..")) {
      throw badMount(`guest ${JSON.stringify(guest)} must be an absolute path below /`);
    }
    if (SYSTEM_ENTRIES.includes(parts[0]!)) {
      throw badMount(`guest ${JSON.stringify(guest)} is under the host's read-only /${parts[0]}`);
    }
    const normal = `/${parts.join("/")}`;
    if (seen.has(normal)) throw badMount(`two mounts at ${normal}`);
    seen.add(normal);
    const given = mount.object("options");
    const options = Object.fromEntries(OPTIONS.map((key) => [key, given?.boolean(key) ?? false]));
    return { type: "named", name, guest: normal, options };
  });
}

/**
 * Refuses mounts of volumes that do not exist (a named volume must be created first).
 *
 * @param mounts The mounts of a spec.
 * @param volumes The cloud's volumes.
 */
export function requireVolumes(mounts: readonly JsonObject[], volumes: VolumeStore): void {
  for (const mount of mounts) {
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
  for (const mount of mounts) {
    const record = volumes.list().find((volume) => volume.name === mount.name);
    if (!record) continue;
    const readOnly = (mount.options as JsonObject | undefined)?.readonly === true;
    out.push({ guest: String(mount.guest), host: await volumes.dir(record), readOnly });
  }
  return out;
}
