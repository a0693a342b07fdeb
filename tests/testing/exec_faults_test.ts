// LocalCloudFaults.execFault, seen from the client: every mode on the routes it applies to.
import assert from "node:assert/strict";
import { ProtocolError } from "../../src/errors.ts";
import { type LocalCloud, startLocalCloud } from "../../src/testing/mod.ts";
import { call } from "./_client.ts";
import { ExecClient, execRequest, runningSandbox } from "./_exec_client.ts";

const ROUTES = [
  { generation: "v0.5", id: 1 },
  { generation: "current", id: 1000 },
] as const;

async function setup(
  generation: "v0.5" | "current",
): Promise<{ cloud: LocalCloud; sandbox: string } & AsyncDisposable> {
  const cloud = await startLocalCloud({ generation, bootDelayMs: 0 });
  const sandbox = await runningSandbox(cloud, "faulty");
  return { cloud, sandbox, [Symbol.asyncDispose]: () => cloud.close() };
}

async function waitUntil(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

for (const { generation, id } of ROUTES) {
  Deno.test(`execFault split (${generation}): every byte is its own message`, async () => {
    await using s = await setup(generation);
    s.cloud.faults.execFault("split");
    const client = await ExecClient.connect(s.cloud, s.sandbox);
    try {
      if (generation === "current") await client.next(0);
      const result = await client.run(id, execRequest("echo", ["hi"]));
      assert.equal(result.stdout, "hi\n");
      assert.equal(result.code, 0);
      assert.ok(client.messageSizes.length > 100);
      assert.ok(client.messageSizes.every((size) => size === 1));
    } finally {
      await client.close();
    }
    const next = await ExecClient.connect(s.cloud, s.sandbox);
    try {
      if (generation === "current") await next.next(0);
      await next.run(id, execRequest("true"));
      assert.ok(next.messageSizes.some((size) => size > 1), "the fault applied to one socket");
    } finally {
      await next.close();
    }
  });

  Deno.test(`execFault coalesce (${generation}): several frames per message`, async () => {
    await using s = await setup(generation);
    s.cloud.faults.execFault("coalesce");
    const client = await ExecClient.connect(s.cloud, s.sandbox);
    try {
      if (generation === "current") {
        await client.next(0);
        assert.equal(client.messageSizes.length, 1, "the id range and core.ready in one message");
        assert.ok(client.messageSizes[0]! > 8 + 9);
      }
      const before = client.messageSizes.length;
      const result = await client.run(id, execRequest("echo", ["hi"]));
      assert.equal(result.stdout, "hi\n");
      assert.equal(result.code, 0);
      assert.ok(
        client.messageSizes.length - before < result.messages.length,
        `${result.messages.length} frames came in ${client.messageSizes.length - before} messages`,
      );
    } finally {
      await client.close();
    }
  });

  Deno.test(`execFault closeBeforeExit (${generation}): output, then a close, no exit`, async () => {
    await using s = await setup(generation);
    s.cloud.faults.execFault("closeBeforeExit");
    const client = await ExecClient.connect(s.cloud, s.sandbox);
    if (generation === "current") await client.next(0);
    const result = await client.run(id, execRequest("echo", ["hi"]));
    assert.equal(result.stdout, "hi\n");
    assert.equal(result.code, undefined);
    assert.equal(result.failed, undefined);
    assert.equal((await client.closed).code, 1000);
    assert.equal(client.decodeError, undefined);
  });

  Deno.test(`execFault oversizedLength (${generation}): a 5 MiB length after started`, async () => {
    await using s = await setup(generation);
    s.cloud.faults.execFault("oversizedLength");
    const client = await ExecClient.connect(s.cloud, s.sandbox);
    if (generation === "current") await client.next(0);
    client.send(id, "core.exec.request", execRequest("sleep", ["60"]));
    await client.closed; // the client's decoder rejects the length and closes
    assert.ok(client.decodeError instanceof ProtocolError);
    assert.match(client.decodeError.message, /5242880/);
    await waitUntil(() => s.cloud.processes().length === 0, "the process to be killed");
  });

  Deno.test(`execFault truncatedFrame (${generation}): half a frame, then a close`, async () => {
    await using s = await setup(generation);
    s.cloud.faults.execFault("truncatedFrame");
    const client = await ExecClient.connect(s.cloud, s.sandbox);
    if (generation === "current") await client.next(0);
    const result = await client.run(id, execRequest("echo", ["hi"]));
    assert.deepEqual(result.messages.map((m) => m.type), ["core.exec.started"]);
    assert.equal((await client.closed).code, 1000);
    assert.ok(client.decodeError instanceof ProtocolError);
    assert.match(client.decodeError.message, /truncated/);
  });

  Deno.test(`execFault stall (${generation}): nothing after started, socket open`, async () => {
    await using s = await setup(generation);
    s.cloud.faults.execFault("stall");
    const client = await ExecClient.connect(s.cloud, s.sandbox);
    try {
      if (generation === "current") await client.next(0);
      client.send(id, "core.exec.request", execRequest("sh", ["-c", "echo hi; sleep 60"]));
      assert.equal((await client.next(id))?.type, "core.exec.started");
      await assert.rejects(client.next(id, 300), /no message/);
      assert.equal(client.socket.readyState, WebSocket.OPEN);
      assert.equal(s.cloud.processes().length, 1);
    } finally {
      await client.close();
    }
    await waitUntil(() => s.cloud.processes().length === 0, "the process to be killed");
  });

  Deno.test(`execFault (${generation}): REST faults apply to the upgrade, which is recorded`, async () => {
    await using s = await setup(generation);
    s.cloud.faults.failNext(1, { status: 503 });
    await assert.rejects(ExecClient.connect(s.cloud, s.sandbox));
    const route = generation === "current" ? "agent" : "exec.cbor";
    const upgrades = s.cloud.requests.filter((r) => r.url.endsWith(`/${route}`));
    assert.equal(upgrades.length, 1);
    assert.equal(upgrades[0]?.headers.upgrade, "websocket");
    const client = await ExecClient.connect(s.cloud, s.sandbox);
    await client.close();
  });
}

Deno.test("execFault legacyHandshake: a 4-byte id offset before core.ready", async () => {
  await using s = await setup("current");
  s.cloud.faults.execFault("legacyHandshake");
  const client = await ExecClient.connect(s.cloud, s.sandbox, { prelude: 4 });
  try {
    const ready = await client.next(0);
    assert.equal(ready?.type, "core.ready");
    assert.deepEqual(client.prelude, [0, 0, 0x03, 0xe8]);
    const first = client.rawMessages[1]!;
    const length = new DataView(first.buffer, first.byteOffset).getUint32(0);
    assert.ok(length >= 5 && 1000 >= length, "a legacy-shaped prologue (offset >= ready length)");
    client.send(1000, "core.exec.request", execRequest("true"));
    const refused = await client.next(1000);
    assert.equal(refused?.type === "core.error" && refused.payload.kind, "invalid_session");
    assert.equal((await client.run(1001, execRequest("echo", ["legacy"]))).stdout, "legacy\n");
  } finally {
    await client.close();
  }
});

Deno.test("execFault validates its arguments and reset forgets it", async () => {
  await using s = await setup("current");
  // @ts-expect-error: not a fault kind
  assert.throws(() => s.cloud.faults.execFault("explode"), TypeError);
  assert.throws(() => s.cloud.faults.execFault("split", { sockets: -1 }), RangeError);
  s.cloud.faults.execFault("split", { sockets: 3 });
  s.cloud.faults.reset();
  const client = await ExecClient.connect(s.cloud, s.sandbox);
  try {
    await client.next(0);
    assert.deepEqual(client.messageSizes.slice(0, 1), [8]);
  } finally {
    await client.close();
  }
  assert.equal((await call(s.cloud, "GET", "/v1/sandboxes")).status, 200);
});
