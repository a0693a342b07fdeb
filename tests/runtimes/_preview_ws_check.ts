// The preview route's WebSocket bridge checked against an example server (examples/*_server.ts)
// over real sockets from the Deno test process: the python echo server (_ws_echo_server.ts)
// started in a sandbox through the app's exec WebSocket, then a Deno `WebSocket` to
// `/:name/ports/<PREVIEW_PORT>/echo` with the app's token. On a server without WebSockets (the
// Node example), the same upgrade must be refused with 501 `unsupported`.

import { PREVIEW_PORT } from "../../examples/_app.ts";
import { check, expectEqual } from "./_checks.ts";
import { WS_ECHO_SERVER } from "./_ws_echo_server.ts";
import { commandOutput, received } from "./_ws_received.ts";

/** An example server, its token and a sandbox name in its scope. */
export interface ExampleTarget {
  /** `http://127.0.0.1:<port>`; the sandbox routes are under `/api/sandboxes`. */
  origin: string;
  token: string;
  name: string;
}

/** The names of the checks {@linkcode checkPreviewWebSocket} runs, in order. */
export const PREVIEW_WS_CHECKS: readonly string[] = [
  "preview WebSocket: the echo server listens in the sandbox",
  "preview WebSocket: opens, offering the subprotocol chat",
  "preview WebSocket: text and binary messages echo",
  "preview WebSocket: close 3001 reaches the server and comes back",
];

/** What {@linkcode checkPreviewWebSocket} found. */
export interface PreviewWebSocketResult {
  /** The checks that passed. */
  checks: string[];
  /** The subprotocol the client's socket got (`""` when the server answered none). */
  protocol: string;
}

/**
 * Creates a sandbox through the app, starts the echo server on {@linkcode PREVIEW_PORT} in it,
 * and bridges a WebSocket to it through the preview route; then removes the sandbox.
 *
 * @param target The example server.
 * @returns The checks that passed, and the subprotocol the client got.
 */
export async function checkPreviewWebSocket(
  target: ExampleTarget,
): Promise<PreviewWebSocketResult> {
  const checks: string[] = [];
  const [listening, opening, echoing, closing] = PREVIEW_WS_CHECKS as string[];
  const headers = { authorization: `Bearer ${target.token}` };
  const base = `${target.origin}/api/sandboxes`;
  const created = await fetch(base, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ name: target.name, image: "alpine" }),
  });
  expectEqual(created.status, 201, `create status (${await created.text()})`);
  const ws = base.replace(/^http/, "ws");
  const query = new URLSearchParams({ cmd: "python3" });
  for (const arg of ["-u", "-c", WS_ECHO_SERVER, String(PREVIEW_PORT)]) query.append("arg", arg);
  const exec = new WebSocket(`${ws}/${target.name}/ws?${query}`, { headers });
  exec.binaryType = "arraybuffer";
  const server = commandOutput(exec);
  let socket: WebSocket | undefined;
  try {
    await check(checks, listening!, () => server.printed("listening"));
    socket = new WebSocket(`${ws}/${target.name}/ports/${PREVIEW_PORT}/echo`, {
      protocols: ["chat"],
      headers,
    });
    socket.binaryType = "arraybuffer";
    const client = received(socket);
    await check(checks, opening!, () => opened(socket!));
    await check(checks, echoing!, async () => {
      socket!.send("hello over the preview");
      socket!.send(new Uint8Array([0, 1, 2, 255]));
      const echoes = [await client.next(), await client.next()];
      expectEqual(echoes, ["text: hello over the preview", "binary: 0,1,2,255"], "the echoes");
    });
    await check(checks, closing!, async () => {
      socket!.close(3001, "done");
      expectEqual(await client.next(), "close 3001", "the client's close");
      await server.printed("close 3001");
    });
    return { checks, protocol: socket.protocol };
  } finally {
    socket?.close();
    exec.close();
    const removed = await fetch(`${base}/${target.name}`, { method: "DELETE", headers });
    await removed.body?.cancel();
  }
}

/**
 * The same upgrade to a server whose app has no `upgradeWebSocket`, as a fetch with the
 * handshake's headers (a refusal is a plain answer, which fetch reads).
 *
 * @param target The example server.
 * @returns The status and the JSON body of the answer.
 */
export async function previewUpgradeRefusal(target: ExampleTarget): Promise<[number, unknown]> {
  const url = `${target.origin}/api/sandboxes/${target.name}/ports/${PREVIEW_PORT}/echo`;
  const response = await fetch(url, {
    headers: {
      authorization: `Bearer ${target.token}`,
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      "sec-websocket-version": "13",
    },
  });
  return [response.status, await response.json()];
}

/** Resolves once `socket` is open; rejects if it fails or closes first. */
function opened(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.addEventListener("open", () => resolve());
    socket.addEventListener("error", (event) => {
      reject(new Error(`the socket failed: ${(event as ErrorEvent).message}`));
    });
    socket.addEventListener("close", ({ code }) => reject(new Error(`closed with ${code}`)));
  });
}
