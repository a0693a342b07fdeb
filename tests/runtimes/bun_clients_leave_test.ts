// On Bun: a server of `toSseResponse(sandbox.logs())` and of the Hono adapter whose clients left
// exits by itself once it stops serving, and the default heartbeat keeps a quiet log stream open
// past Bun's idle timeout.
import assert from "node:assert/strict";
import { setup } from "../_cloud.ts";
import {
  clientsLeave,
  execStreamsLeave,
  startPrinter,
  startStreamServer,
  webSocketsLeave,
} from "../http/_leaving_clients.ts";
import { ensureRuntimes } from "./_install.ts";

const ENTRY = "tests/http/_stream_server_main.ts";

Deno.test("toSseResponse(sandbox.logs()): a Bun server whose 50 clients left exits by itself once it stops serving", async () => {
  const { bun } = await ensureRuntimes();
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "printer", image: "alpine" });
  await using _printer = await startPrinter(sandbox);
  await using server = await startStreamServer(env.cloud, sandbox.name, bun, ["run", ENTRY]);
  await clientsLeave(env.cloud, `${server.origin}/logs`, 50);
  await server.stopAndExit();
});

Deno.test("the Hono adapter: a Bun server whose log, streamed-exec and WebSocket clients left exits by itself once it stops serving", async () => {
  const { bun } = await ensureRuntimes();
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "printer", image: "alpine" });
  await using server = await startStreamServer(env.cloud, sandbox.name, bun, ["run", ENTRY]);
  const routes = `${server.origin}/api/sandboxes/${sandbox.name}`;
  const headers = { authorization: "Bearer browser" };
  await execStreamsLeave(env.cloud, routes, headers, ["ndjson", "sse", "ndjson", "sse"]);
  await webSocketsLeave(env.cloud, routes, headers, 4);
  await using _printer = await startPrinter(sandbox);
  await clientsLeave(env.cloud, `${routes}/logs`, 10, "sse", headers);
  await clientsLeave(env.cloud, `${routes}/logs`, 10, "ndjson", headers);
  await server.stopAndExit();
});

Deno.test("toSseResponse's default heartbeat keeps a quiet log stream open on Bun past its 10 s idle timeout", async () => {
  const { bun } = await ensureRuntimes();
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "quiet", image: "alpine" });
  await using server = await startStreamServer(env.cloud, sandbox.name, bun, ["run", ENTRY]);
  const response = await fetch(`${server.origin}/quiet`);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  // Three heartbeats, 5 s apart, span more than Bun's 10 s: a stream it cut would end first.
  while ((text.match(/^: heartbeat$/gm) ?? []).length < 3) {
    const { done, value } = await reader.read();
    assert.ok(!done, `Bun closed the quiet stream after: ${JSON.stringify(text)}`);
    text += value;
  }
  await reader.cancel();
  await server.stopAndExit();
});
