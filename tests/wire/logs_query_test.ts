import assert from "node:assert/strict";
import { UnsupportedError } from "../../mod.ts";
import { currentAdapter } from "../../src/wire/current.ts";
import { v05Adapter } from "../../src/wire/v0_5.ts";

Deno.test("currentAdapter.logsQuery always sends sources, the default three spelled out", () => {
  assert.equal(currentAdapter.logsQuery({}), "sources=stdout,stderr,output");
  assert.equal(currentAdapter.logsQuery({ sources: ["system"] }), "sources=system");
  assert.equal(currentAdapter.logsQuery({ sources: ["output"] }), "sources=output");
});

Deno.test("v05Adapter.logsQuery sends sources only when asked and refuses output", () => {
  assert.equal(v05Adapter.logsQuery({}), "");
  assert.equal(v05Adapter.logsQuery({ sources: ["stderr"] }), "sources=stderr");
  assert.throws(
    () => v05Adapter.logsQuery({ sources: ["output"] }),
    (error) =>
      error instanceof UnsupportedError && error.kind === "Unsupported" &&
      error.feature === "cloud log source 'output'",
  );
});

Deno.test("Both adapters refuse a log stream that does not follow, in the seed's words", () => {
  for (const adapter of [currentAdapter, v05Adapter]) {
    assert.throws(
      () => adapter.logsQuery({ follow: false }),
      (error) =>
        error instanceof UnsupportedError &&
        error.message === "Sandbox::log_stream(follow=false) on cloud is not supported by this " +
            "backend yet; available when msb-cloud exposes bounded log snapshots",
    );
  }
});
