// msb.account over real HTTP on 127.0.0.1. The local cloud has no account routes yet, so a small
// server here answers `GET /v1/me/org` and `GET /v1/members` in the shapes of openapi.json
// (`OrgWithRole`, `PaginatedMemberResponse`), and records what it was asked.
import assert from "node:assert/strict";
import {
  AuthenticationError,
  InvalidConfigError,
  Microsandbox,
  ProtocolError,
  UnsupportedError,
  type WireGeneration,
} from "../../mod.ts";
import { FAST_RETRY } from "../_cloud.ts";

const KEY = "msb_test_account_key";

const ORG = {
  id: "0b9f6a4e-1f6e-4a53-9d6c-3f1b2a0c9e11",
  name: "Acme",
  slug: "acme",
  mfa_required: true,
  role: "owner",
  created_at: "2026-01-02T03:04:05Z",
  updated_at: "2026-02-03T04:05:06.250Z",
};

function member(i: number): Record<string, unknown> {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    user_id: `10000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    email: `user${i}@acme.test`,
    role: i === 0 ? "owner" : "member",
    display_name: i % 2 === 0 ? `User ${i}` : null,
    ...(i % 3 === 0 ? { avatar_url: `https://img.test/${i}.png` } : {}),
    joined_at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
  };
}

interface Server extends AsyncDisposable {
  url: string;
  /** `pathname?search` of each request. */
  requests: string[];
  /** The authorization header of each request. */
  auth: (string | null)[];
  /** Answers the next requests with these instead. */
  replies: Response[];
}

/** A cloud of `count` members on 127.0.0.1 that pages them by offset. */
function accountServer(count = 45): Server {
  const members = Array.from({ length: count }, (_, i) => member(i));
  const requests: string[] = [];
  const auth: (string | null)[] = [];
  const replies: Response[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const url = new URL(request.url);
    requests.push(`${url.pathname}${url.search}`);
    auth.push(request.headers.get("authorization"));
    const reply = replies.shift();
    if (reply) return reply;
    if (url.pathname === "/v1/me/org") return Response.json(ORG);
    if (url.pathname !== "/v1/members") return new Response("no route", { status: 404 });
    const start = Number(url.searchParams.get("cursor") ?? "0");
    const limit = Number(url.searchParams.get("limit") ?? "20");
    const end = Math.min(start + limit, members.length);
    return Response.json({
      data: members.slice(start, end),
      has_more: end < members.length,
      next_cursor: end < members.length ? String(end) : null,
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    auth,
    replies,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function client(server: Server, wire: WireGeneration = "current"): Microsandbox {
  return new Microsandbox({ apiKey: KEY, url: server.url, wire, retry: FAST_RETRY });
}

Deno.test("Account.org reads GET /v1/me/org into an Org with dates", async () => {
  await using server = accountServer();
  const org = await client(server).account.org();
  assert.deepEqual(org, {
    id: ORG.id,
    name: "Acme",
    slug: "acme",
    mfaRequired: true,
    role: "owner",
    createdAt: new Date("2026-01-02T03:04:05Z"),
    updatedAt: new Date("2026-02-03T04:05:06.250Z"),
  });
  assert.ok(org.createdAt instanceof Date);
  assert.deepEqual(server.requests, ["/v1/me/org"]);
  assert.deepEqual(server.auth, [`Bearer ${KEY}`]);
});

Deno.test("Account.listMembers reads one page; members() walks every page", async () => {
  await using server = accountServer(45);
  const msb = client(server);
  const first = await msb.account.listMembers();
  assert.equal(first.members.length, 20);
  assert.equal(first.hasMore, true);
  assert.equal(first.nextCursor, "20");
  assert.deepEqual(first.members[0], {
    id: "00000000-0000-4000-8000-000000000000",
    userId: "10000000-0000-4000-8000-000000000000",
    email: "user0@acme.test",
    role: "owner",
    displayName: "User 0",
    avatarUrl: "https://img.test/0.png",
    joinedAt: new Date(Date.UTC(2026, 0, 1)),
  });
  assert.equal(first.members[1]?.displayName, undefined);
  assert.equal(first.members[1]?.avatarUrl, undefined);
  const last = await msb.account.listMembers({ cursor: "40", limit: 20 });
  assert.equal(last.members.length, 5);
  assert.equal(last.hasMore, false);
  assert.equal(last.nextCursor, undefined);

  const emails: string[] = [];
  for await (const each of msb.account.members({ limit: 7 })) emails.push(each.email);
  assert.deepEqual(emails, Array.from({ length: 45 }, (_, i) => `user${i}@acme.test`));
  assert.deepEqual(server.requests.slice(0, 3), [
    "/v1/members?limit=20",
    "/v1/members?cursor=40&limit=20",
    "/v1/members?limit=7",
  ]);
  assert.equal(server.requests.length, 2 + 7); // 45 members in pages of 7
});

Deno.test("Account.listMembers refuses a limit outside 1 to 100 before any request", async () => {
  await using server = accountServer();
  const msb = client(server);
  for (const limit of [0, 101, 2.5]) {
    await assert.rejects(
      msb.account.listMembers({ limit }),
      (error) => error instanceof InvalidConfigError && error.kind === "InvalidConfig",
    );
  }
  await assert.rejects(msb.account.members({ limit: 0 }).next(), InvalidConfigError);
  assert.equal(server.requests.length, 0);
});

Deno.test("Account rejects every read on the v0.5 wire with UnsupportedError before any request", async () => {
  await using server = accountServer();
  const { account } = client(server, "v0.5");
  const unsupported = (feature: string) => (error: unknown) =>
    error instanceof UnsupportedError && error.kind === "Unsupported" &&
    error.message ===
      `${feature} is not supported by this backend yet; available with wire: "current"`;
  await assert.rejects(account.org(), unsupported("account.org"));
  await assert.rejects(account.listMembers(), unsupported("account.members"));
  await assert.rejects(account.members().next(), unsupported("account.members"));
  assert.equal(server.requests.length, 0);
});

Deno.test("Account names the JSON path of a malformed body in a ProtocolError", async () => {
  await using server = accountServer();
  const msb = client(server);
  const protocol = (message: string) => (error: unknown) =>
    error instanceof ProtocolError && error.kind === "Protocol" && error.message === message;
  server.replies.push(Response.json({ ...ORG, created_at: "soon" }));
  await assert.rejects(
    msb.account.org(),
    protocol("GET /v1/me/org: failed to decode body: `created_at` is not a date"),
  );
  server.replies.push(Response.json({ ...ORG, role: "god" }));
  await assert.rejects(
    msb.account.org(),
    protocol(
      "GET /v1/me/org: failed to decode body: `role` is not one of owner, admin, member, viewer",
    ),
  );
  server.replies.push(Response.json([ORG]));
  await assert.rejects(
    msb.account.org(),
    protocol("GET /v1/me/org: failed to decode body: org is not an object"),
  );
  const bad = [member(0), { ...member(1), joined_at: 7 }];
  server.replies.push(Response.json({ data: bad, has_more: false }));
  await assert.rejects(
    msb.account.listMembers(),
    protocol("GET /v1/members: failed to decode body: `data[1].joined_at` is not a date"),
  );
  server.replies.push(Response.json({ data: [{ ...member(0), email: undefined }] }));
  await assert.rejects(
    msb.account.listMembers(),
    protocol("GET /v1/members: failed to decode body: missing field `data[0].email`"),
  );
});

Deno.test("Account refuses pages that cannot be followed", async () => {
  await using server = accountServer();
  const msb = client(server);
  server.replies.push(Response.json({ data: [], has_more: true }));
  await assert.rejects(
    msb.account.listMembers(),
    (error) =>
      error instanceof ProtocolError &&
      error.message === "GET /v1/members: has_more is true but next_cursor is missing",
  );
  const same = { data: [member(0)], has_more: true, next_cursor: "same" };
  server.replies.push(Response.json(same), Response.json(same));
  const walk = async () => {
    for await (const _ of msb.account.members()) { /* drain */ }
  };
  await assert.rejects(
    walk(),
    (error) => error instanceof ProtocolError && /repeated cursor same/.test(error.message),
  );
  assert.equal(server.requests.length, 3);
});

Deno.test("Account maps a refused key to AuthenticationError without the key in it", async () => {
  await using server = accountServer();
  server.replies.push(
    Response.json({ error: { code: "invalid_api_key", message: `unauthorized ${KEY}` } }, {
      status: 401,
    }),
  );
  const error = await client(server).account.org().catch((e) => e);
  assert.ok(error instanceof AuthenticationError, String(error));
  assert.equal(error.status, 401);
  assert.equal(error.code, "invalid_api_key");
  assert.equal(error.operation, "GET /v1/me/org");
  assert.ok(!error.message.includes(KEY));
  assert.ok(!String(error.body).includes(KEY));
});
