import assert from "node:assert/strict";
import { backoffDelay, parseRetryAfter, sleep } from "../../src/transport/_retry.ts";

const RETRY = { attempts: 5, baseDelay: 100, maxDelay: 1000, maxElapsed: 10000 };

Deno.test("parseRetryAfter reads seconds and HTTP dates", () => {
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter("3"), 3000);
  assert.equal(parseRetryAfter(" 0.5 "), 500);
  const now = Date.parse("2026-11-28T10:00:00Z");
  assert.equal(parseRetryAfter("Sat, 28 Nov 2026 10:00:07 GMT", now), 7000);
  assert.equal(parseRetryAfter("Sat, 28 Nov 2026 09:00:00 GMT", now), 0);
  assert.equal(parseRetryAfter("soon"), undefined);
  assert.equal(parseRetryAfter("-1"), undefined);
});

Deno.test("backoffDelay doubles from baseDelay, jitters in the upper half and caps at maxDelay", () => {
  assert.equal(backoffDelay(1, RETRY, undefined, () => 0), 50);
  assert.equal(backoffDelay(1, RETRY, undefined, () => 1), 100);
  assert.equal(backoffDelay(3, RETRY, undefined, () => 1), 400);
  assert.equal(backoffDelay(9, RETRY, undefined, () => 1), 1000);
  assert.equal(backoffDelay(9, RETRY, undefined, () => 0), 500);
});

Deno.test("backoffDelay honours Retry-After over the backoff, even above maxDelay", () => {
  assert.equal(backoffDelay(1, RETRY, 2500, () => 0), 2500);
});

Deno.test("sleep rejects with the signal's reason as soon as it aborts", async () => {
  const controller = new AbortController();
  const slept = sleep(60_000, controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(slept, /stop/);
  await assert.rejects(sleep(1, AbortSignal.abort(new Error("already"))), /already/);
});
