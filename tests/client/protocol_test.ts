import assert from "node:assert/strict";
import { ProtocolError } from "../../mod.ts";
import { setup } from "../_cloud.ts";

const LIST = "GET /v1/sandboxes";

function protocolError(message: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ProtocolError, String(error));
    assert.equal(error.kind, "Protocol");
    assert.match(error.message, message);
    return true;
  };
}

Deno.test("A 2xx body that is not JSON is a ProtocolError naming the operation", async () => {
  await using env = await setup("current");
  env.cloud.faults.replyNext(1, { body: "<html>maintenance</html>", contentType: "text/html" });
  await assert.rejects(
    env.msb.sandboxes.list(),
    protocolError(/^GET \/v1\/sandboxes: failed to decode body: /),
  );
});

Deno.test("A 2xx body of the wrong shape names the field it lacks", async () => {
  await using env = await setup("current");
  env.cloud.faults.replyNext(1, { body: JSON.stringify({ data: [{ id: "x" }], has_more: false }) });
  await assert.rejects(
    env.msb.sandboxes.list(),
    protocolError(/^GET \/v1\/sandboxes: failed to decode body: missing field `data\[0\].org_id`$/),
  );
  env.cloud.faults.replyNext(1, { body: "[1, 2]" });
  await assert.rejects(
    env.msb.sandboxes.get("x"),
    protocolError(
      /^GET \/v1\/sandboxes\/by-name\/:name: failed to decode body: sandbox is not an object$/,
    ),
  );
});

Deno.test("A page that says has_more without a cursor is refused", async () => {
  await using env = await setup("current");
  env.cloud.faults.replyNext(1, { body: JSON.stringify({ data: [], has_more: true }) });
  await assert.rejects(
    env.msb.sandboxes.list(),
    protocolError(new RegExp(`^${LIST}: has_more is true`)),
  );
});

Deno.test("Iteration stops with an error when the server repeats a cursor", async () => {
  await using env = await setup("current");
  const page = JSON.stringify({ data: [], has_more: true, next_cursor: "same" });
  env.cloud.faults.replyNext(3, { body: page });
  const walk = async () => {
    for await (const _ of env.msb.sandboxes) { /* drain */ }
  };
  await assert.rejects(walk(), protocolError(/repeated cursor same/));
  assert.equal(env.cloud.requests.length, 2);
});

Deno.test("A 2xx body over 16 MiB is refused without reading it all", async () => {
  await using env = await setup("current");
  env.cloud.faults.replyNext(1, { body: new Uint8Array(16 * 1024 * 1024 + 1).fill(32) });
  await assert.rejects(
    env.msb.sandboxes.list(),
    protocolError(/response body exceeds 16777216 bytes/),
  );
});
