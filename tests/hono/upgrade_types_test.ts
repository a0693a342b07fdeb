// Type-level check: the upgradeWebSocket of each runtime's Hono adapter fits the adapter's
// option. Bun's and Workers' are imported as types only: their modules need their runtime.
import assert from "node:assert/strict";
import type * as bun from "hono/bun";
import type * as workers from "hono/cloudflare-workers";
import { upgradeWebSocket } from "hono/deno";
import type { UpgradeWebSocketLike } from "../../src/hono/mod.ts";

type Fits<T extends UpgradeWebSocketLike> = T;

Deno.test("UpgradeWebSocketLike accepts the upgradeWebSocket of Deno, Bun and Workers", () => {
  const fits: [
    Fits<typeof upgradeWebSocket>,
    Fits<typeof bun.upgradeWebSocket>?,
    Fits<typeof workers.upgradeWebSocket>?,
  ] = [upgradeWebSocket];
  assert.equal(typeof fits[0], "function");
});
