// msb.account quotas and usage over real HTTP against the local cloud, which meters what it ran.
import assert from "node:assert/strict";
import { ProtocolError } from "../../mod.ts";
import { requestLines, setup } from "../_cloud.ts";
import { unsupportedOnV05 } from "../_unsupported.ts";

Deno.test("Account.quotas counts the sandboxes and the hours they ran", async () => {
  await using env = await setup("current");
  const { msb } = env;
  const before = await msb.account.quotas();
  assert.equal(before.totalSandboxes, 0);
  assert.equal(before.vcpuHoursUsed, 0);
  assert.equal(before.maxSandboxes, undefined);
  await msb.sandboxes.create({ name: "p", image: "alpine", vcpus: 2, memoryMib: 1024 });
  await msb.sandboxes.create({ name: "e", image: "alpine", ephemeral: true });
  await msb.sandboxes.create({ name: "idle", image: "alpine" }, { start: false });
  const now = await msb.account.quotas();
  assert.equal(now.totalSandboxes, 3);
  assert.equal(now.concurrentPersistentRunning, 1);
  assert.equal(now.concurrentEphemeralRunning, 1);
  assert.ok(now.vcpuHoursUsed > 0 && now.memoryGibHoursUsed > 0, JSON.stringify(now));
  assert.equal(now.isSuspended, false);
  assert.equal(requestLines(env.cloud).at(-1), "GET /v1/quotas");
});

Deno.test("Account.usage and usageBySandbox report what ran, with Dates", async () => {
  await using env = await setup("current");
  const { msb } = env;
  const sandbox = await msb.sandboxes.create({ name: "metered", image: "alpine", vcpus: 2 });
  await sandbox.stop();
  const summary = await msb.account.usage();
  assert.ok(summary.periodStart instanceof Date && summary.periodEnd > summary.periodStart);
  assert.equal(summary.totalCents, 0);
  const vcpu = summary.lineItems.find((item) => item.unit === "vcpu_hours");
  assert.ok(vcpu && vcpu.quantity > 0, JSON.stringify(summary.lineItems));
  assert.ok(summary.daily.every((point) => point.date instanceof Date));
  const breakdown = await msb.account.usageBySandbox();
  assert.deepEqual(breakdown.sandboxes, [{ id: sandbox.id, name: "metered", slug: sandbox.slug }]);
  const [row] = breakdown.rows;
  assert.equal(row?.sandboxId, sandbox.id);
  assert.ok(row!.day instanceof Date && row!.day.getUTCHours() === 0);
  // 2 vCPUs and the default 512 MiB for the same seconds.
  assert.ok(Math.abs(row!.memMibSeconds / row!.vcpuSeconds - 256) < 1e-6, JSON.stringify(row));
  const storage = await msb.account.storageUsage();
  assert.deepEqual(storage, { rows: [], volumes: [] });
});

Deno.test("Account usage reads name the bad field of a malformed body", async () => {
  await using env = await setup("current");
  const { msb, cloud } = env;
  cloud.faults.replyNext(1, { body: JSON.stringify({ hard_cap: false }) });
  await assert.rejects(
    msb.account.quotas(),
    (error) =>
      error instanceof ProtocolError &&
      error.message === "GET /v1/quotas: failed to decode body: missing field `vcpu_hours_used`",
  );
  cloud.faults.replyNext(1, {
    body: JSON.stringify({ rows: [{ sandbox_id: "x", day: "monday" }], sandboxes: [] }),
  });
  await assert.rejects(
    msb.account.usageBySandbox(),
    (error) =>
      error instanceof ProtocolError &&
      error.message ===
        "GET /v1/billing/usage/sandbox: failed to decode body: `rows[0].day` is not a date",
  );
  cloud.faults.replyNext(1, {
    body: JSON.stringify({
      period_start: "2026-01-01T00:00:00Z",
      period_end: "2026-02-01T00:00:00Z",
      line_items: [],
      total_cents: 1.5,
    }),
  });
  await assert.rejects(
    msb.account.usage(),
    (error) =>
      error instanceof ProtocolError && /`total_cents` is not an integer/.test(error.message),
  );
});

Deno.test("Account usage reads refuse on the v0.5 wire before any request", async () => {
  await using env = await setup("v0.5");
  const { account } = env.msb;
  await assert.rejects(account.quotas(), unsupportedOnV05("account.quotas"));
  await assert.rejects(account.usage(), unsupportedOnV05("account.usage"));
  await assert.rejects(account.usageBySandbox(), unsupportedOnV05("account.usageBySandbox"));
  await assert.rejects(account.storageUsage(), unsupportedOnV05("account.storageUsage"));
  assert.equal(env.cloud.requests.length, 0);
});
