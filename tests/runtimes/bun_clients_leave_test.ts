// On Bun: a server of `toSseResponse(sandbox.logs())` and of the Hono adapter whose clients left
// exits by itself once it stops serving, and the default heartbeat keeps a quiet log stream open
// past Bun's idle timeout.
import assert from "node:assert/strict";
import { setup } from "../_cloud.ts";
import {
  adapterClientsLeaveServer,
  logClientsLeaveServer,
  startStreamServer,
} from "../http/_leaving_clients.ts";
import { ensureRuntimes } from "./_install.ts";

/** Bun's arguments to run the stream server. */
const BUN_SERVER = ["run", "tests/http/_stream_server_main.ts"];

Deno.test("toSseResponse(sandbox.logs()): a Bun server whose 50 clients left exits by itself once it stops serving", async () => {
  await logClientsLeaveServer((await ensureRuntimes()).bun, BUN_SERVER, 50);
});

Deno.test("the Hono adapter: a Bun server whose log, streamed-exec and WebSocket clients left exits by itself once it stops serving", async () => {
  await adapterClientsLeaveServer((await ensureRuntimes()).bun, BUN_SERVER);
});

Deno.test("toSseResponse's default heartbeat keeps a quiet log stream open on Bun past its 10 s idle timeout", async () => {
  const { bun } = await ensureRuntimes();
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "quiet", image: "alpine" });
  await using server = await startStreamServer(env.cloud, sandbox.name, bun, BUN_SERVER);
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
