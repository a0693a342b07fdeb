// sandbox.connect under each isolation of the local cloud: under "namespaces" and "bubblewrap"
// a tunnel reaches the sandbox's own servers and nothing on the host; under "none", where the
// sandbox shares the host's network, every tunnel is refused.
import assert from "node:assert/strict";
import { ConnectionRefusedError } from "../../mod.ts";
import { startLocalCloud } from "../../src/testing/mod.ts";
import { setup } from "../_cloud.ts";
import { echoServer, startServer, until } from "./_servers.ts";

const auto = await startLocalCloud({ isolation: "auto" });
const best = auto.isolation;
await auto.close();
const ISOLATED = best === "bubblewrap"
  ? ["bubblewrap", "namespaces"] as const
  : best === "namespaces"
  ? ["namespaces"] as const
  : [];

for (const isolation of ISOLATED) {
  Deno.test(`sandbox.connect under isolation "${isolation}" reaches the sandbox's server, not another sandbox's nor the host's`, async () => {
    await using env = await setup("current", {}, { isolation });
    const sandbox = await env.msb.sandboxes.create({ name: "a", image: "python" });
    const other = await env.msb.sandboxes.create({ name: "b", image: "python" });
    const server = await startServer(sandbox, echoServer(7101));
    const socket = sandbox.connect(7101);
    const writer = socket.writable.getWriter();
    await writer.write(new TextEncoder().encode("hi"));
    await writer.close();
    assert.equal(await new Response(socket.readable).text(), "hibye");
    await socket.closed;

    await assert.rejects(other.connect(7101).opened, ConnectionRefusedError);
    using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    await assert.rejects(sandbox.connect(listener.addr.port).opened, ConnectionRefusedError);
    await until(() => env.cloud.openTcpTunnels().length === 0);
    await server.kill();
  });
}

Deno.test('sandbox.connect under isolation "none" is refused: the sandbox shares the host\'s network', async () => {
  await using env = await setup("current", {}, { isolation: "none" });
  const sandbox = await env.msb.sandboxes.create({ name: "plain", image: "python" });
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const error = await sandbox.connect(listener.addr.port).opened.catch((e) => e);
  assert.ok(error instanceof ConnectionRefusedError, String(error));
  assert.match(error.message, /without isolation \("none"\)/);
  assert.deepEqual(env.cloud.openTcpTunnels(), []);
});
