// msb.account over real HTTP on 127.0.0.1 against the local cloud, whose org has its key's owner
// as first member; malformed bodies come from its `replyNext` faults.
import assert from "node:assert/strict";
import { AuthenticationError, InvalidConfigError, ProtocolError } from "../../mod.ts";
import type { LocalCloud } from "../../src/testing/mod.ts";
import { requestLines, setup } from "../_cloud.ts";
import { unsupportedOnV05 } from "../_unsupported.ts";

const ORG = {
  id: "0b9f6a4e-1f6e-4a53-9d6c-3f1b2a0c9e11",
  name: "Acme",
  slug: "acme",
  mfa_required: true,
  role: "owner",
  created_at: "2026-01-02T03:04:05Z",
  updated_at: "2026-02-03T04:05:06.250Z",
};

const MEMBER = {
  id: "00000000-0000-4000-8000-000000000000",
  user_id: "10000000-0000-4000-8000-000000000000",
  email: "user0@acme.test",
  role: "owner",
  joined_at: "2026-01-01T00:00:00Z",
};

/** Answers the next request with `body` as JSON. */
function reply(cloud: LocalCloud, body: unknown): void {
  cloud.faults.replyNext(1, { body: JSON.stringify(body) });
}

Deno.test("Account.org reads GET /v1/me/org into an Org with dates", async () => {
  await using env = await setup("current");
  const org = await env.msb.account.org();
  assert.equal(org.name, "Local Cloud");
  assert.equal(org.slug, "local-cloud");
  assert.equal(org.role, "owner");
  assert.equal(org.mfaRequired, false);
  assert.ok(org.createdAt instanceof Date && !Number.isNaN(org.createdAt.getTime()));
  assert.ok(org.updatedAt instanceof Date);
  const sandbox = await env.msb.sandboxes.create({ name: "a", image: "alpine" }, { start: false });
  assert.equal(sandbox.orgId, org.id);
  assert.equal(requestLines(env.cloud)[0], "GET /v1/me/org");
  assert.equal(env.cloud.requests[0]?.headers.authorization, `Bearer ${env.cloud.apiKey}`);
});

Deno.test("Account reads every field of an Org and a Member as the wire spells them", async () => {
  await using env = await setup("current");
  reply(env.cloud, ORG);
  assert.deepEqual(await env.msb.account.org(), {
    id: ORG.id,
    name: "Acme",
    slug: "acme",
    mfaRequired: true,
    role: "owner",
    createdAt: new Date("2026-01-02T03:04:05Z"),
    updatedAt: new Date("2026-02-03T04:05:06.250Z"),
  });
  reply(env.cloud, {
    data: [{ ...MEMBER, display_name: "User 0", avatar_url: "https://img.test/0.png" }],
    has_more: false,
  });
  assert.deepEqual((await env.msb.account.listMembers()).members, [{
    id: MEMBER.id,
    userId: MEMBER.user_id,
    email: MEMBER.email,
    role: "owner",
    displayName: "User 0",
    avatarUrl: "https://img.test/0.png",
    joinedAt: new Date(MEMBER.joined_at),
  }]);
});

Deno.test("Account.listMembers reads one page; members() walks every page", async () => {
  await using env = await setup("current");
  for (let i = 1; i < 45; i++) {
    env.cloud.addMember({
      email: `user${i}@acme.test`,
      ...(i % 2 === 0 ? { displayName: `User ${i}` } : {}),
      ...(i % 3 === 0 ? { role: "viewer" as const } : {}),
    });
  }
  const msb = env.msb;
  const first = await msb.account.listMembers();
  assert.equal(first.members.length, 20);
  assert.equal(first.hasMore, true);
  assert.equal(typeof first.nextCursor, "string");
  assert.equal(first.members[0]?.email, "owner@local-cloud.test");
  assert.equal(first.members[0]?.role, "owner");
  assert.equal(first.members[1]?.displayName, undefined);
  assert.equal(first.members[1]?.avatarUrl, undefined);
  assert.equal(first.members[2]?.displayName, "User 2");
  assert.equal(first.members[3]?.role, "viewer");
  assert.ok(first.members.every((member) => member.joinedAt instanceof Date));
  const second = await msb.account.listMembers({ cursor: first.nextCursor, limit: 100 });
  assert.equal(second.members.length, 25);
  assert.equal(second.hasMore, false);
  assert.equal(second.nextCursor, undefined);

  const emails: string[] = [];
  for await (const each of msb.account.members({ limit: 7 })) emails.push(each.email);
  assert.deepEqual(emails, [
    "owner@local-cloud.test",
    ...Array.from({ length: 44 }, (_, i) => `user${i + 1}@acme.test`),
  ]);
  const lines = requestLines(env.cloud);
  assert.deepEqual(lines.slice(0, 1), ["GET /v1/members?limit=20"]);
  assert.match(lines[1]!, /^GET \/v1\/members\?cursor=[\w-]+&limit=100$/);
  assert.equal(lines[2], "GET /v1/members?limit=7");
  assert.equal(lines.length, 2 + 7); // 45 members in pages of 7
});

Deno.test("Account.listMembers refuses a limit outside 1 to 100 before any request", async () => {
  await using env = await setup("current");
  for (const limit of [0, 101, 2.5]) {
    await assert.rejects(
      env.msb.account.listMembers({ limit }),
      (error) => error instanceof InvalidConfigError && error.kind === "InvalidConfig",
    );
  }
  await assert.rejects(env.msb.account.members({ limit: 0 }).next(), InvalidConfigError);
  assert.equal(env.cloud.requests.length, 0);
});

Deno.test("Account.listMembers maps the cloud's 400 for a foreign cursor to InvalidConfigError", async () => {
  await using env = await setup("current");
  const error = await env.msb.account.listMembers({ cursor: "not-ours" }).catch((e) => e);
  assert.ok(error instanceof InvalidConfigError, String(error));
  assert.equal(error.status, 400);
  assert.equal(error.code, "invalid_request");
});

Deno.test("Account rejects every read on the v0.5 wire with UnsupportedError before any request", async () => {
  await using env = await setup("v0.5");
  const { account } = env.msb;
  await assert.rejects(account.org(), unsupportedOnV05("account.org"));
  await assert.rejects(account.listMembers(), unsupportedOnV05("account.members"));
  await assert.rejects(account.members().next(), unsupportedOnV05("account.members"));
  assert.equal(env.cloud.requests.length, 0);
});

Deno.test("Account names the JSON path of a malformed body in a ProtocolError", async () => {
  await using env = await setup("current");
  const msb = env.msb;
  const protocol = (message: string) => (error: unknown) =>
    error instanceof ProtocolError && error.kind === "Protocol" && error.message === message;
  reply(env.cloud, { ...ORG, created_at: "soon" });
  await assert.rejects(
    msb.account.org(),
    protocol("GET /v1/me/org: failed to decode body: `created_at` is not a date"),
  );
  reply(env.cloud, { ...ORG, role: "god" });
  await assert.rejects(
    msb.account.org(),
    protocol(
      "GET /v1/me/org: failed to decode body: `role` is not one of owner, admin, member, viewer",
    ),
  );
  reply(env.cloud, [ORG]);
  await assert.rejects(
    msb.account.org(),
    protocol("GET /v1/me/org: failed to decode body: org is not an object"),
  );
  reply(env.cloud, { data: [MEMBER, { ...MEMBER, joined_at: 7 }], has_more: false });
  await assert.rejects(
    msb.account.listMembers(),
    protocol("GET /v1/members: failed to decode body: `data[1].joined_at` is not a date"),
  );
  reply(env.cloud, { data: [{ ...MEMBER, email: undefined }] });
  await assert.rejects(
    msb.account.listMembers(),
    protocol("GET /v1/members: failed to decode body: missing field `data[0].email`"),
  );
});

Deno.test("Account refuses pages that cannot be followed", async () => {
  await using env = await setup("current");
  const msb = env.msb;
  reply(env.cloud, { data: [], has_more: true });
  await assert.rejects(
    msb.account.listMembers(),
    (error) =>
      error instanceof ProtocolError &&
      error.message === "GET /v1/members: has_more is true but next_cursor is missing",
  );
  const same = { data: [MEMBER], has_more: true, next_cursor: "same" };
  reply(env.cloud, same);
  reply(env.cloud, same);
  const walk = async () => {
    for await (const _ of msb.account.members()) { /* drain */ }
  };
  await assert.rejects(
    walk(),
    (error) => error instanceof ProtocolError && /repeated cursor same/.test(error.message),
  );
  assert.equal(env.cloud.requests.length, 3);
});

Deno.test("Account maps a refused key to AuthenticationError without the key in it", async () => {
  await using env = await setup("current");
  const key = env.cloud.apiKey;
  env.cloud.faults.failNext(1, {
    status: 401,
    code: "invalid_api_key",
    message: `unauthorized ${key}`,
  });
  const error = await env.msb.account.org().catch((e) => e);
  assert.ok(error instanceof AuthenticationError, String(error));
  assert.equal(error.status, 401);
  assert.equal(error.code, "invalid_api_key");
  assert.equal(error.operation, "GET /v1/me/org");
  assert.ok(!error.message.includes(key));
  assert.ok(!String(error.body).includes(key));
});
