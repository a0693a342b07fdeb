import assert from "node:assert/strict";
import { UnsupportedError } from "../../mod.ts";
import { capability } from "../../src/wire/_capability.ts";
import { currentAdapter } from "../../src/wire/current.ts";
import { v05Adapter } from "../../src/wire/v0_5.ts";
import type { Capabilities } from "../../src/wire/wire_adapter.ts";

const NAMES: (keyof Capabilities)[] = ["byId", "listByLabels", "account", "files"];

Deno.test("capability hands out what the current wire has", () => {
  for (const name of NAMES) {
    assert.equal(capability(currentAdapter, name, name), currentAdapter.capabilities[name]);
    assert.notEqual(currentAdapter.capabilities[name], undefined, name);
  }
});

Deno.test("capability refuses what the v0.5 wire lacks with the seed's Unsupported wording", () => {
  for (const name of NAMES) {
    assert.throws(
      () => capability(v05Adapter, name, `feature ${name}`),
      (error) =>
        error instanceof UnsupportedError && error.kind === "Unsupported" &&
        error.feature === `feature ${name}` && error.availableWhen === 'with wire: "current"' &&
        error.message ===
          `feature ${name} is not supported by this backend yet; available with wire: "current"`,
    );
  }
});
