// Many browsers of `toSseResponse(sandbox.logs())` (or of `toNdjsonResponse`, or of the Hono
// adapter's streams) leave while a command prints: the upstream log streams end, nothing
// reconnects, and the serving process can exit.
import { type Sandbox, toNdjsonResponse, toSseResponse } from "../../mod.ts";
import { setup } from "../_cloud.ts";
import {
  type ACCEPT,
  adapterClientsLeaveServer,
  clientsLeave,
  logClientsLeaveServer,
  startPrinter,
} from "./_leaving_clients.ts";
import { until } from "./_released.ts";

const CLIENTS = 50;
/** The stream server under Deno, as a deployment would run it. */
const DENO_SERVER = [
  "run",
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "tests/http/_stream_server_main.ts",
];

/**
 * Serves `respond(sandbox)` with Deno.serve in this process while a command prints, and has
 * `count` clients of it leave together.
 */
async function leaveInProcess(
  respond: (sandbox: Sandbox) => Response,
  count: number,
  format: keyof typeof ACCEPT,
): Promise<void> {
  await using env = await setup("current");
  const sandbox = await env.msb.sandboxes.create({ name: "printer", image: "alpine" });
  await using _printer = await startPrinter(sandbox);
  await until(() => env.cloud.processes().length === 1, "the printer runs");
  const listen = { hostname: "127.0.0.1", port: 0, onListen() {} };
  const server = Deno.serve(listen, () => respond(sandbox));
  try {
    await clientsLeave(env.cloud, `http://127.0.0.1:${server.addr.port}/`, count, format);
  } finally {
    await server.shutdown();
  }
}

Deno.test(`toSseResponse(sandbox.logs()): ${CLIENTS} clients leave while a command prints, and the cloud ends every log stream and gets no further request`, async () => {
  await leaveInProcess((sandbox) => toSseResponse(sandbox.logs()), CLIENTS, "sse");
});

Deno.test("toNdjsonResponse(sandbox.logs()): 20 clients leave while a command prints, and the cloud ends every log stream and gets no further request", async () => {
  await leaveInProcess((sandbox) => toNdjsonResponse(sandbox.logs()), 20, "ndjson");
});

Deno.test(`toSseResponse(sandbox.logs()): a Deno server whose ${CLIENTS} clients left exits by itself once it stops serving`, async () => {
  await logClientsLeaveServer(Deno.execPath(), DENO_SERVER, CLIENTS);
});

Deno.test("the Hono adapter: a Deno server whose log, streamed-exec and WebSocket clients left exits by itself once it stops serving", async () => {
  await adapterClientsLeaveServer(Deno.execPath(), DENO_SERVER);
});
