// The preview route's WebSocket bridge driven from the Node process that runs miniflare: a python
// echo server (_ws_echo_server.ts) started in the sandbox through the app's exec WebSocket, then
// an upgrade of `/:name/ports/<port>/echo` through `dispatchFetch`, over the socket miniflare
// hands back, held open past the client's connect deadline and closed with 3001; and an upgrade
// to a port the app's `ports` policy refuses.

import { PREVIEW_PORT } from "./_adapter_names.ts";
import { check, expectEqual } from "./_checks.ts";
import type { AdapterTarget } from "./_smoke_adapter.ts";
import { type MiniflareSocket, socketOf } from "./_smoke_ws.ts";
import { WS_ECHO_SERVER } from "./_ws_echo_server.ts";
import { type CommandOutput, commandOutput, type Received, received } from "./_ws_received.ts";

/** The names of the checks {@linkcode runPreviewWebSocket} runs, in order. */
export const PREVIEW_WEBSOCKET_CHECKS: readonly string[] = [
  "adapter: preview WebSocket bridge (subprotocol chat, text and binary echoed)",
  "adapter: preview WebSocket still echoes past the client's connect deadline",
  "adapter: preview WebSocket close 3001 reaches the server and comes back",
  "adapter: preview upgrade to a refused port is 403 forbidden",
];

/**
 * The client's default `connectTimeout` (the Worker's client keeps it): on Workers, a socket
 * upgraded through fetch must not end when the deadline of its opening fires.
 */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Creates a sandbox through the app, starts the echo server in it, and runs the preview checks;
 * then stops the server and removes the sandbox.
 *
 * @param target The app, its token and a sandbox name in scope.
 * @returns The checks that passed.
 */
export async function runPreviewWebSocket(target: AdapterTarget): Promise<string[]> {
  const checks: string[] = [];
  const auth = { authorization: `Bearer ${target.token}` };
  const { call, name } = target;
  const [bridge, deadline, close, refusal] = PREVIEW_WEBSOCKET_CHECKS as string[];
  const created = await call("", {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ name, image: "alpine" }),
  });
  expectEqual(created.status, 201, `create status (${await created.text()})`);
  let server: EchoServer | undefined;
  try {
    const client = await check(checks, bridge!, async () => {
      server = await startEchoServer(target);
      await server.printed("listening");
      const response = await call(`/${name}/ports/${PREVIEW_PORT}/echo`, {
        headers: { ...auth, upgrade: "websocket", "sec-websocket-protocol": "chat" },
      });
      const socket = socketOf(response);
      const protocol = response.headers.get("sec-websocket-protocol");
      expectEqual([response.status, socket !== null, protocol], [101, true, "chat"], "upgrade");
      const client = listen(socket!);
      socket!.send("hello over the preview");
      socket!.send(new Uint8Array([0, 1, 2, 255]));
      const echoes = [await client.next(), await client.next()];
      expectEqual(echoes, ["text: hello over the preview", "binary: 0,1,2,255"], "the echoes");
      return client;
    });
    await check(checks, deadline!, async () => {
      await new Promise((resolve) => setTimeout(resolve, CONNECT_TIMEOUT_MS + 1000));
      client.socket.send("still here");
      expectEqual(await client.next(), "text: still here", "the echo");
    });
    await check(checks, close!, async () => {
      client.socket.close(3001, "done");
      expectEqual(await client.next(), "close 3001", "the close");
      await server!.printed("close 3001");
    });
    await check(checks, refusal!, async () => {
      const response = await call(`/${name}/ports/${PREVIEW_PORT + 1}/echo`, {
        headers: { ...auth, upgrade: "websocket" },
      });
      const socket = socketOf(response);
      const body = await response.json();
      expectEqual([response.status, body.error?.code, socket], [403, "forbidden", null], "refusal");
    });
  } finally {
    server?.stop();
    await call(`/${name}`, { method: "DELETE", headers: auth }).then((r) => r.body?.cancel());
  }
  return checks;
}

/** A client socket, accepted, and what it receives in order. */
function listen(socket: MiniflareSocket): { socket: MiniflareSocket } & Received {
  const { next } = received(socket);
  socket.accept();
  return { socket, next };
}

/** The echo server, running as long as the app's exec WebSocket that started it stays open. */
interface EchoServer extends CommandOutput {
  /** Closes the exec WebSocket, which ends the server. */
  stop(): void;
}

/** Starts the echo server on {@linkcode PREVIEW_PORT} through `GET /:name/ws`. */
async function startEchoServer({ call, name, token }: AdapterTarget): Promise<EchoServer> {
  const query = new URLSearchParams({ cmd: "python3" });
  for (const arg of ["-u", "-c", WS_ECHO_SERVER, String(PREVIEW_PORT)]) query.append("arg", arg);
  const response = await call(`/${name}/ws?${query}`, {
    headers: { authorization: `Bearer ${token}`, upgrade: "websocket" },
  });
  const socket = socketOf(response);
  expectEqual([response.status, socket !== null], [101, true], "the server's exec upgrade");
  const { printed } = commandOutput(socket!);
  socket!.accept();
  return { printed, stop: () => socket!.close() };
}
