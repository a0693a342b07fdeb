// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import type { Patch } from "./patch.ts";

/** One key per kind of patch, so that the compiler demands each. */
const KINDS: Record<Patch["type"], true> = {
  text: true,
  file: true,
  copy_file: true,
  copy_dir: true,
  symlink: true,
  mkdir: true,
  remove: true,
  append: true,
};

/** Every `type` a patch may have, the same in the model and on the wire (openapi `CloudPatch`). */
export const PATCH_TYPES: readonly Patch["type"][] = Object.keys(KINDS) as Patch["type"][];
