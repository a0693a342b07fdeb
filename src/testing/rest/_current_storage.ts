/**
 * The `mounts`, `patches` and `init` of a current-generation create body (openapi
 * `CloudVolumeMount`, `CloudPatch`, `HandoffInit`), checked by the contract's shapes. Mounts are
 * echoed as `SandboxMountResponse`s (PascalCase kinds, options in full); patches and init are
 * not echoed, as the response has no place for them. Whether a named volume exists is not
 * checked here.
 *
 * @module
 */

import { PATCH_TYPES } from "../../models/_patch_types.ts";
import { invalidRequest } from "../app/_error_body.ts";
import type { JsonFields } from "./_json_fields.ts";
import type { JsonObject } from "./_sandbox_record.ts";

const INT32_MAX = 2_147_483_647;
const MOUNT_KINDS = ["bind", "named", "tmpfs", "disk_image"] as const;
const DISK_FORMATS = { qcow2: "Qcow2", raw: "Raw", vmdk: "Vmdk" } as const;

/**
 * Reads `mounts`.
 *
 * @param f The body.
 * @returns The mounts as the response shows them.
 */
export function readMounts(f: JsonFields): JsonObject[] {
  return f.objects("mounts").map(readMount);
}

function readMount(m: JsonFields): JsonObject {
  const type = m.need("type", m.choice("type", MOUNT_KINDS));
  const guest = m.need("guest", m.string("guest"));
  const options = readOptions(m.object("options"));
  const shared = { guest, options };
  const host = {
    host_permissions: m.choice("host_permissions", ["private", "mirror"]) ?? "private",
    stat_virtualization: m.choice("stat_virtualization", ["strict", "relaxed", "off"]) ?? "strict",
  };
  switch (type) {
    case "bind":
      m.need("host", m.string("host"));
      return {
        type: "Bind",
        ...shared,
        ...host,
        quota_mib: m.integer("quota_mib", INT32_MAX) ?? null,
      };
    case "named":
      // `name` is more than the contract's answer holds: the cloud mounts the volume by it.
      return { type: "Named", name: m.need("name", m.string("name")), ...shared, ...host };
    case "tmpfs":
      return { type: "Tmpfs", ...shared, size_mib: m.integer("size_mib", INT32_MAX) ?? null };
    case "disk_image": {
      m.need("host", m.string("host"));
      const format = m.need("format", m.choice("format", ["qcow2", "raw", "vmdk"] as const));
      return {
        type: "DiskImage",
        ...shared,
        format: DISK_FORMATS[format],
        fstype: m.string("fstype") ?? null,
      };
    }
  }
}

function readOptions(f: JsonFields | undefined): JsonObject {
  return {
    nodev: f?.boolean("nodev") ?? false,
    noexec: f?.boolean("noexec") ?? false,
    nosuid: f?.boolean("nosuid") ?? false,
    readonly: f?.boolean("readonly") ?? false,
  };
}

/**
 * Checks `patches`, each by its kind's required fields.
 *
 * @param f The body.
 */
export function checkPatches(f: JsonFields): void {
  for (const p of f.objects("patches")) {
    const type = p.need("type", p.choice("type", PATCH_TYPES));
    p.integer("mode", INT32_MAX);
    if (type !== "mkdir" && type !== "remove" && type !== "append") {
      p.need("replace", p.boolean("replace"));
    }
    if (type === "copy_file" || type === "copy_dir") {
      p.need("src", p.string("src"));
      p.need("dst", p.string("dst"));
    } else if (type === "symlink") {
      p.need("target", p.string("target"));
      p.need("link", p.string("link"));
    } else {
      p.need("path", p.string("path"));
    }
    if (type === "text" || type === "append") p.need("content", p.string("content"));
    if (type === "file") checkBytes(p);
  }
}

function checkBytes(p: JsonFields): void {
  const content = p.need("content", p.array("content"));
  const isByte = (v: unknown) =>
    Number.isInteger(v) && (v as number) >= 0 && (v as number) <= INT32_MAX;
  if (!content.every(isByte)) {
    throw invalidRequest(`Cannot accept \`${p.path("content")}\`: expected an array of integers`);
  }
}

/**
 * Checks `init`.
 *
 * @param f The `init` object, if sent.
 */
export function checkInit(f: JsonFields | undefined): void {
  if (!f) return;
  f.need("cmd", f.string("cmd"));
  f.strings("args");
  const pairs = f.array("env") ?? [];
  const isPair = (v: unknown) =>
    Array.isArray(v) && v.length === 2 && v.every((s) => typeof s === "string");
  if (!pairs.every(isPair)) {
    throw invalidRequest(`Cannot accept \`${f.path("env")}\`: expected an array of [key, value]`);
  }
}
