// Many browsers of `toSseResponse(sandbox.logs())` (or of `toNdjsonResponse`, or of the Hono
// adapter's streams) leave while a command prints: the upstream log streams end, nothing
// reconnects, and the serving process can exit.
import { toNdjsonResponse, toSseResponse } from "../../mod.ts";
import { setup } from "../_cloud.ts";
import {
  clientsLeave,
  execStreamsLeave,
  startPrinter,
  startStreamServer,
  webSocketsLeave,
} from "./_leaving_clients.ts";
import { until } from "./_released.ts";

const CLIENTS = 50;

Deno.test(`toSseResponse(sandbox.logs()): ${CLIENTS} clients leave while a command prints, and the cloud ends every log stream and gets no further request`, async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "printer", image: "alpine" });
  await using _printer = await startPrinter(sandbox);
  await until(() => env.cloud.processes().length === 1, "the printer runs");
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => toSseResponse(sandbox.logs()),
  );
  try {
    await clientsLeave(env.cloud, `http://127.0.0.1:${server.addr.port}/`, CLIENTS);
  } finally {
    await server.shutdown();
  }
});

Deno.test("toNdjsonResponse(sandbox.logs()): 20 clients leave while a command prints, and the cloud ends every log stream and gets no further request", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "printer", image: "alpine" });
  await using _printer = await startPrinter(sandbox);
  await until(() => env.cloud.processes().length === 1, "the printer runs");
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => toNdjsonResponse(sandbox.logs()),
  );
  try {
    await clientsLeave(env.cloud, `http://127.0.0.1:${server.addr.port}/`, 20, "ndjson");
  } finally {
    await server.shutdown();
  }
});

Deno.test(`toSseResponse(sandbox.logs()): a Deno server whose ${CLIENTS} clients left exits by itself once it stops serving`, async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "printer", image: "alpine" });
  await using _printer = await startPrinter(sandbox);
  await using server = await startStreamServer(env.cloud, sandbox.name, Deno.execPath(), [
    "run",
    "--allow-net",
    "--allow-env",
    "tests/http/_stream_server_main.ts",
  ]);
  await clientsLeave(env.cloud, `${server.origin}/logs`, CLIENTS);
  await server.stopAndExit();
});

Deno.test("the Hono adapter: a Deno server whose log, streamed-exec and WebSocket clients left exits by itself once it stops serving", async () => {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "printer", image: "alpine" });
  await using server = await startStreamServer(env.cloud, sandbox.name, Deno.execPath(), [
    "run",
    "--allow-net",
    "--allow-env",
    "--allow-read",
    "tests/http/_stream_server_main.ts",
  ]);
  const routes = `${server.origin}/api/sandboxes/${sandbox.name}`;
  const headers = { authorization: "Bearer browser" };
  await execStreamsLeave(env.cloud, routes, headers, ["ndjson", "sse", "ndjson", "sse"]);
  await webSocketsLeave(env.cloud, routes, headers, 4);
  await using _printer = await startPrinter(sandbox);
  await clientsLeave(env.cloud, `${routes}/logs`, 10, "sse", headers);
  await clientsLeave(env.cloud, `${routes}/logs`, 10, "ndjson", headers);
  await server.stopAndExit();
});
