// msb.account's audit events over real HTTP on 127.0.0.1 against the local cloud, which records
// one event per lifecycle change of each of its sandboxes; malformed bodies come from its
// `replyNext` faults.
import assert from "node:assert/strict";
import {
  type AuditEvent,
  AuthenticationError,
  EventNotFoundError,
  type EventPage,
  InvalidConfigError,
  type Microsandbox,
  ProtocolError,
  SandboxNotFoundError,
} from "../../mod.ts";
import type { LocalCloud } from "../../src/testing/mod.ts";
import { requestLines, setup } from "../_cloud.ts";
import { unsupportedOnV05 } from "../_unsupported.ts";

const EVENT = {
  id: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c",
  org_id: "0b9f6a4e-1f6e-4a53-9d6c-3f1b2a0c9e11",
  category: "api_key",
  event_type: "api_key_created",
  actor: { kind: "system", code: "scheduler", label: "Scheduler" },
  payload: { name: "ci" },
  timestamp: "2026-03-04T05:06:07.125Z",
};

/** Answers the next request with `body` as JSON. */
function reply(cloud: LocalCloud, body: unknown): void {
  cloud.faults.replyNext(1, { body: JSON.stringify(body) });
}

/** Creates `count` sandboxes without starting them: one `sandbox_created` event each. */
async function createSandboxes(msb: Microsandbox, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await msb.sandboxes.create({ name: `s${i}`, image: "alpine" }, { start: false });
  }
}

/** Resolves once the clock (the cloud's too: same process) has passed `time`. */
async function pastMillisecond(time: Date): Promise<void> {
  while (Date.now() <= time.getTime()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** Every event of the cloud, read in one page. */
async function allEvents(msb: Microsandbox): Promise<AuditEvent[]> {
  const page = await msb.account.listEvents({ limit: 100 });
  assert.equal(page.hasMore, false);
  return page.events;
}

Deno.test("Account.listEvents reads the cloud's lifecycle events as AuditEvents with dates", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "a", image: "alpine" }, { start: false });
  const page = await env.msb.account.listEvents();
  assert.equal(page.hasMore, false);
  assert.equal(page.nextCursor, undefined);
  assert.equal(page.events.length, 1);
  const [event] = page.events;
  assert.equal(event?.eventType, "sandbox_created");
  assert.equal(event?.category, "sandbox");
  assert.equal(event?.orgId, sandbox.orgId);
  assert.equal(event?.actor.kind, "api_key");
  assert.deepEqual(event?.payload, { sandbox_id: sandbox.id, name: "a", slug: sandbox.slug });
  assert.ok(event?.timestamp instanceof Date && !Number.isNaN(event.timestamp.getTime()));
  assert.deepEqual(requestLines(env.cloud).slice(1), ["GET /v1/events?limit=20"]);
  assert.equal(env.cloud.requests[1]?.headers.authorization, `Bearer ${env.cloud.apiKey}`);
});

Deno.test("Account reads every field of an AuditEvent and every kind of actor", async () => {
  await using env = await setup("current");
  const actors = [
    {
      kind: "user",
      user_id: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d",
      label: "Ada",
      redacted_email: "a**@acme.test",
    },
    { kind: "api_key", api_key_id: "8c1d0f3e-2b4a-4c6d-9e8f-0a1b2c3d4e5f", name: "ci" },
    { kind: "system", code: "scheduler", label: "Scheduler" },
    {
      kind: "ssh_key",
      key_id: "7b6a5f4e-3d2c-4b1a-8f9e-0d1c2b3a4f5e",
      fingerprint: "SHA256:abc",
      label: "laptop",
    },
    {
      kind: "ssh_key",
      key_id: "7b6a5f4e-3d2c-4b1a-8f9e-0d1c2b3a4f5e",
      fingerprint: "SHA256:abc",
      label: null,
    },
    { kind: "robot", serial: 7 },
  ];
  reply(env.cloud, {
    data: actors.map((actor) => ({ ...EVENT, actor })),
    has_more: true,
    next_cursor: "next",
  });
  const page = await env.msb.account.listEvents();
  assert.equal(page.hasMore, true);
  assert.equal(page.nextCursor, "next");
  assert.deepEqual(page.events.map((event) => event.actor), [
    { kind: "user", userId: actors[0]!.user_id, label: "Ada", redactedEmail: "a**@acme.test" },
    { kind: "api_key", apiKeyId: actors[1]!.api_key_id, name: "ci" },
    { kind: "system", code: "scheduler", label: "Scheduler" },
    { kind: "ssh_key", keyId: actors[3]!.key_id, fingerprint: "SHA256:abc", label: "laptop" },
    { kind: "ssh_key", keyId: actors[3]!.key_id, fingerprint: "SHA256:abc", label: undefined },
    { kind: "unknown", wireKind: "robot" },
  ]);
  reply(env.cloud, EVENT);
  assert.deepEqual(await env.msb.account.event(EVENT.id), {
    id: EVENT.id,
    orgId: EVENT.org_id,
    category: "api_key",
    eventType: "api_key_created",
    actor: { kind: "system", code: "scheduler", label: "Scheduler" },
    payload: { name: "ci" },
    timestamp: new Date("2026-03-04T05:06:07.125Z"),
  });
  reply(env.cloud, { ...EVENT, payload: null });
  assert.equal((await env.msb.account.event(EVENT.id)).payload, null);
});

Deno.test("Account.listEvents reads one page; events() walks every page with for await", async () => {
  await using env = await setup("current");
  await createSandboxes(env.msb, 25);
  const first = await env.msb.account.listEvents({ limit: 10 });
  assert.equal(first.events.length, 10);
  assert.equal(first.hasMore, true);
  assert.equal(typeof first.nextCursor, "string");
  const second = await env.msb.account.listEvents({ cursor: first.nextCursor, limit: 100 });
  assert.equal(second.events.length, 15);
  assert.equal(second.hasMore, false);
  const paged = [...first.events, ...second.events];
  assert.equal(new Set(paged.map((event) => event.id)).size, 25);

  const walked: AuditEvent[] = [];
  for await (const event of env.msb.account.events({ limit: 7 })) walked.push(event);
  assert.deepEqual(walked, paged);
  assert.deepEqual(
    walked.map((event) => (event.payload as { name: string }).name),
    Array.from({ length: 25 }, (_, i) => `s${i}`),
  );
  const lines = requestLines(env.cloud).slice(25);
  assert.equal(lines[0], "GET /v1/events?limit=10");
  assert.match(lines[1]!, /^GET \/v1\/events\?cursor=[\w-]+&limit=100$/);
  assert.equal(lines[2], "GET /v1/events?limit=7");
  assert.match(lines[3]!, /^GET \/v1\/events\?cursor=[\w-]+&limit=7$/);
  assert.equal(lines.length, 2 + 4); // 25 events in pages of 7
});

Deno.test("Account.events keeps its filters on every page", async () => {
  await using env = await setup("current");
  await createSandboxes(env.msb, 5);
  await env.msb.sandboxes.remove("s0");
  await env.msb.sandboxes.remove("s1");
  const types: string[] = [];
  for await (const event of env.msb.account.events({ eventType: "sandbox_created", limit: 2 })) {
    types.push(event.eventType);
  }
  assert.deepEqual(types, Array(5).fill("sandbox_created"));
  const lines = requestLines(env.cloud).filter((line) => line.startsWith("GET /v1/events"));
  assert.equal(lines.length, 3);
  for (const line of lines) assert.match(line, /[?&]event_type=sandbox_created&/);
});

Deno.test("Account.listEvents filters by event type, since and until, inclusive", async () => {
  await using env = await setup("current");
  const { account, sandboxes } = env.msb;
  // Three groups of events, each in a later millisecond than the one before.
  await createSandboxes(env.msb, 3);
  const groupA = await allEvents(env.msb);
  await pastMillisecond(groupA.at(-1)!.timestamp);
  await sandboxes.create({ name: "b0", image: "alpine" }, { start: false });
  await sandboxes.create({ name: "b1", image: "alpine" }, { start: false });
  await sandboxes.remove("b0");
  const groupB = (await allEvents(env.msb)).slice(groupA.length);
  await pastMillisecond(groupB.at(-1)!.timestamp);
  await sandboxes.create({ name: "c0", image: "alpine" }, { start: false });
  await sandboxes.remove("b1");
  const all = await allEvents(env.msb);
  const groupC = all.slice(groupA.length + groupB.length);
  assert.deepEqual([groupA.length, groupB.length, groupC.length], [3, 3, 2]);

  const deleted = await account.listEvents({ eventType: "sandbox_deleted" });
  assert.deepEqual(deleted.events, all.filter((event) => event.eventType === "sandbox_deleted"));
  assert.equal(deleted.events.length, 2);
  assert.deepEqual((await account.listEvents({ eventType: "api_key_created" })).events, []);

  const since = groupB[0]!.timestamp;
  const until = groupB.at(-1)!.timestamp;
  const ids = (page: EventPage) => page.events.map((event) => event.id);
  const idsOf = (...groups: AuditEvent[][]) => groups.flat().map((event) => event.id);
  assert.deepEqual(ids(await account.listEvents({ since, limit: 100 })), idsOf(groupB, groupC));
  assert.deepEqual(ids(await account.listEvents({ until, limit: 100 })), idsOf(groupA, groupB));
  assert.deepEqual(ids(await account.listEvents({ since, until, limit: 100 })), idsOf(groupB));
  const createdInB = await account.listEvents({ eventType: "sandbox_created", since, until });
  assert.deepEqual(ids(createdInB), idsOf(groupB.slice(0, 2)));

  const lines = requestLines(env.cloud).filter((line) => line.startsWith("GET /v1/events"));
  const iso = (date: Date) => encodeURIComponent(date.toISOString());
  assert.deepEqual(lines.slice(3), [
    "GET /v1/events?event_type=sandbox_deleted&limit=20",
    "GET /v1/events?event_type=api_key_created&limit=20",
    `GET /v1/events?since=${iso(since)}&limit=100`,
    `GET /v1/events?until=${iso(until)}&limit=100`,
    `GET /v1/events?since=${iso(since)}&until=${iso(until)}&limit=100`,
    `GET /v1/events?event_type=sandbox_created&since=${iso(since)}&until=${iso(until)}&limit=20`,
  ]);
});

Deno.test("Account.event reads one event by id (GET /v1/events/{event_id})", async () => {
  await using env = await setup("current");
  await createSandboxes(env.msb, 2);
  const [, second] = await allEvents(env.msb);
  assert.deepEqual(await env.msb.account.event(second!.id), second);
  assert.equal(requestLines(env.cloud).at(-1), `GET /v1/events/${second!.id}`);
});

Deno.test("Account.event maps a 404 to EventNotFoundError, not SandboxNotFoundError", async () => {
  await using env = await setup("current");
  const id = crypto.randomUUID();
  const error = await env.msb.account.event(id).catch((e) => e);
  assert.ok(error instanceof EventNotFoundError, String(error));
  assert.ok(!(error instanceof SandboxNotFoundError));
  assert.equal(error.kind, "EventNotFound");
  assert.equal(error.status, 404);
  assert.equal(error.code, "sandbox_not_found"); // openapi's code for this 404
  assert.equal(error.operation, "GET /v1/events/:id");
  assert.match(error.message, /^GET \/v1\/events\/:id: Cannot find an event with id/);

  env.cloud.faults.failNext(1, { status: 404, body: '{"message":"gone"}' });
  const uncoded = await env.msb.account.event(id).catch((e) => e);
  assert.ok(uncoded instanceof EventNotFoundError, String(uncoded));
  assert.equal(uncoded.status, 404);
  assert.equal(uncoded.code, undefined);
});

Deno.test("Account refuses ill-formed event filters and ids before any request", async () => {
  await using env = await setup("current");
  const { account } = env.msb;
  const invalid = (message: RegExp) => (error: unknown) =>
    error instanceof InvalidConfigError && error.kind === "InvalidConfig" &&
    error.status === undefined && message.test(error.message);
  const limit = invalid(/^list limit must be an integer from 1 to 100, got /);
  for (const bad of [0, 101, 2.5, NaN]) {
    await assert.rejects(account.listEvents({ limit: bad }), limit);
  }
  await assert.rejects(account.events({ limit: 0 }).next(), limit);
  await assert.rejects(
    account.listEvents({ since: new Date("soon") }),
    invalid(/^events since must be a valid Date, got Invalid Date$/),
  );
  await assert.rejects(
    account.listEvents({ until: "2026-01-01" as unknown as Date }),
    invalid(/^events until must be a valid Date, got 2026-01-01$/),
  );
  await assert.rejects(
    account.events({
      since: new Date("2026-01-02T00:00:00Z"),
      until: new Date("2026-01-01T00:00:00Z"),
    }).next(),
    invalid(
      /^events since \(2026-01-02T00:00:00.000Z\) must not be after until \(2026-01-01T00:00:00.000Z\)$/,
    ),
  );
  await assert.rejects(
    account.listEvents({ eventType: "" }),
    invalid(/^events eventType must be a non-empty string such as "sandbox_created", got ""$/),
  );
  for (const id of ["", ".", ".."]) {
    await assert.rejects(
      account.event(id),
      invalid(/^event id must not be empty, "\." or "\.\."$/),
    );
  }
  assert.equal(env.cloud.requests.length, 0);
});

Deno.test("Account.event sends an id that is not a path segment escaped", async () => {
  await using env = await setup("current");
  const error = await env.msb.account.event("a/../b?c").catch((e) => e);
  assert.ok(error instanceof EventNotFoundError, String(error));
  assert.deepEqual(requestLines(env.cloud), ["GET /v1/events/a%2F..%2Fb%3Fc"]);
});

Deno.test("Account.listEvents maps the cloud's 400 for a foreign cursor to InvalidConfigError", async () => {
  await using env = await setup("current");
  const error = await env.msb.account.listEvents({ cursor: "not-ours" }).catch((e) => e);
  assert.ok(error instanceof InvalidConfigError, String(error));
  assert.equal(error.status, 400);
  assert.equal(error.code, "invalid_request");
});

Deno.test("Account rejects the events on the v0.5 wire with UnsupportedError before any request", async () => {
  await using env = await setup("v0.5");
  const { account } = env.msb;
  await assert.rejects(account.listEvents(), unsupportedOnV05("account.events"));
  await assert.rejects(account.events().next(), unsupportedOnV05("account.events"));
  await assert.rejects(account.event(crypto.randomUUID()), unsupportedOnV05("account.event"));
  // The refusal comes before the filters are looked at.
  await assert.rejects(account.listEvents({ limit: 0 }), unsupportedOnV05("account.events"));
  await assert.rejects(account.event(""), unsupportedOnV05("account.event"));
  assert.equal(env.cloud.requests.length, 0);
});

Deno.test("Account names the JSON path of a malformed event body in a ProtocolError", async () => {
  await using env = await setup("current");
  const { account } = env.msb;
  const protocol = (message: string) => (error: unknown) =>
    error instanceof ProtocolError && error.kind === "Protocol" && error.message === message;
  const page = (...data: unknown[]) => ({ data, has_more: false });
  reply(env.cloud, page(EVENT, { ...EVENT, timestamp: "soon" }));
  await assert.rejects(
    account.listEvents(),
    protocol("GET /v1/events: failed to decode body: `data[1].timestamp` is not a date"),
  );
  reply(env.cloud, page({ ...EVENT, actor: { kind: "user", user_id: "u", label: "Ada" } }));
  await assert.rejects(
    account.listEvents(),
    protocol(
      "GET /v1/events: failed to decode body: missing field `data[0].actor.redacted_email`",
    ),
  );
  reply(env.cloud, page({ ...EVENT, actor: { name: "ci" } }));
  await assert.rejects(
    account.listEvents(),
    protocol("GET /v1/events: failed to decode body: missing field `data[0].actor.kind`"),
  );
  reply(env.cloud, page({ ...EVENT, actor: { kind: 7 } }));
  await assert.rejects(
    account.listEvents(),
    protocol("GET /v1/events: failed to decode body: `data[0].actor.kind` is not a string"),
  );
  reply(env.cloud, page({ ...EVENT, payload: undefined }));
  await assert.rejects(
    account.listEvents(),
    protocol("GET /v1/events: failed to decode body: missing field `data[0].payload`"),
  );
  reply(env.cloud, [EVENT]);
  await assert.rejects(
    account.event(EVENT.id),
    protocol("GET /v1/events/:id: failed to decode body: event is not an object"),
  );
  reply(env.cloud, { data: [], has_more: true });
  await assert.rejects(
    account.listEvents(),
    protocol("GET /v1/events: has_more is true but next_cursor is missing"),
  );
});

Deno.test("Account maps a refused key on the events to AuthenticationError without the key", async () => {
  await using env = await setup("current");
  const key = env.cloud.apiKey;
  for (const call of [() => env.msb.account.listEvents(), () => env.msb.account.event(EVENT.id)]) {
    env.cloud.faults.failNext(1, {
      status: 401,
      code: "invalid_api_key",
      message: `unauthorized ${key}`,
    });
    const error = await call().catch((e) => e);
    assert.ok(error instanceof AuthenticationError, String(error));
    assert.equal(error.status, 401);
    assert.equal(error.code, "invalid_api_key");
    assert.ok(!error.message.includes(key));
    assert.ok(!String(error.body).includes(key));
  }
});
