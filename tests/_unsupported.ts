// The seed's refusal of what only the current wire has, as an `assert.rejects` check.
import { UnsupportedError } from "../mod.ts";

/** Whether `error` is the `UnsupportedError` the v0.5 wire gives for `feature`, in the seed's words. */
export function unsupportedOnV05(feature: string): (error: unknown) => boolean {
  return (error) =>
    error instanceof UnsupportedError && error.kind === "Unsupported" &&
    error.message ===
      `${feature} is not supported by this backend yet; available with wire: "current"`;
}
