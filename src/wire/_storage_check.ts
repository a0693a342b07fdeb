// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// The checks of what shapes the guest's filesystem and first process: mounts, patches and init.

import type { Mount } from "../models/mount.ts";
import { PATCH_TYPES } from "../models/_patch_types.ts";
import type { InitSpec, Patch } from "../models/patch.ts";
import {
  absolutePath,
  bool,
  each,
  INT32_MAX,
  integerIn,
  invalid,
  oneOf,
  record,
  stringRecord,
  strings,
  text,
} from "./_spec_rule.ts";

const MODE_MAX = 0o7777;

/** Checks `mounts`: each mount's shape, absolute guest paths, one mount per path. */
export function checkMounts(mounts: readonly Mount[] | undefined): void {
  each("mounts", mounts, checkMount);
  const targets = (mounts ?? []).map((mount) => mount.guest.replace(/\/+$/, "") || "/");
  const twice = targets.find((target, i) => targets.indexOf(target) !== i);
  if (twice !== undefined) invalid("mounts", "one mount per guest path", twice);
}

function checkMount(mount: Mount, path: string): void {
  record(path, mount);
  oneOf(`${path}.type`, mount.type ?? "", ["named", "tmpfs"]);
  absolutePath(`${path}.guest`, mount.guest);
  if (mount.guest.replace(/\/+$/, "") === "") invalid(`${path}.guest`, "a path below /", "/");
  if (mount.options !== undefined) {
    record(`${path}.options`, mount.options);
    for (const key of ["readonly", "noexec", "nosuid", "nodev"] as const) {
      bool(`${path}.options.${key}`, mount.options[key]);
    }
  }
  if (mount.type === "tmpfs") return integerIn(`${path}.sizeMib`, mount.sizeMib, 1, INT32_MAX);
  text(`${path}.name`, mount.name);
  oneOf(`${path}.hostPermissions`, mount.hostPermissions, ["private", "mirror"]);
  oneOf(`${path}.statVirtualization`, mount.statVirtualization, ["strict", "relaxed", "off"]);
}

/** Checks `patches`: each patch's shape, absolute guest paths, modes. */
export function checkPatches(patches: readonly Patch[] | undefined): void {
  each("patches", patches, checkPatch);
}

function checkPatch(patch: Patch, path: string): void {
  record(path, patch);
  oneOf(`${path}.type`, patch.type ?? "", PATCH_TYPES);
  if ("mode" in patch) integerIn(`${path}.mode`, patch.mode, 0, MODE_MAX);
  if ("replace" in patch) bool(`${path}.replace`, patch.replace);
  switch (patch.type) {
    case "text":
    case "append":
      absolutePath(`${path}.path`, patch.path);
      if (typeof patch.content !== "string") invalid(`${path}.content`, "a string", patch.content);
      return;
    case "file":
      absolutePath(`${path}.path`, patch.path);
      if (!(patch.content instanceof Uint8Array)) {
        invalid(`${path}.content`, "a Uint8Array", patch.content);
      }
      return;
    case "copy_file":
    case "copy_dir":
      text(`${path}.src`, patch.src);
      return absolutePath(`${path}.dst`, patch.dst);
    case "symlink":
      text(`${path}.target`, patch.target);
      return absolutePath(`${path}.link`, patch.link);
    case "mkdir":
    case "remove":
      return absolutePath(`${path}.path`, patch.path);
  }
}

/** Checks `init`: an absolute guest path or `auto`, string arguments and env. */
export function checkInit(init: InitSpec | undefined): void {
  if (init === undefined) return;
  record("init", init);
  if (init.cmd !== "auto") absolutePath("init.cmd", init.cmd);
  strings("init.args", init.args);
  stringRecord("init.env", init.env);
}
