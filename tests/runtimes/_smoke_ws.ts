// The adapter's WebSocket bridge driven from the Node process that runs miniflare: an upgrade
// request through `dispatchFetch`, then stdin in and the process's events out, over the socket
// miniflare hands back (the Worker's client end).

import { check, expectEqual } from "./_checks.ts";
import type { AdapterTarget } from "./_smoke_adapter.ts";

/** The name of the check {@linkcode runWebSocketBridge} runs. */
export const WEBSOCKET_CHECK = "adapter: WebSocket bridge (cat echoes stdin, exits 0)";

/** The client end of a WebSocket as miniflare returns it on a 101 response. */
export interface MiniflareSocket {
  accept(): void;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number }) => void): void;
}

/**
 * The client end miniflare hands back with an upgrade's response.
 *
 * @param response What `dispatchFetch` answered.
 * @returns The socket, or `null` when the response carries none.
 */
export function socketOf(response: Response): MiniflareSocket | null {
  return (response as unknown as { webSocket?: MiniflareSocket | null }).webSocket ?? null;
}

/**
 * Creates a sandbox through the app, opens `GET /:name/ws?cmd=cat`, sends stdin and `eof`, and
 * checks `started`, the echo on channel 1, `exited` 0 and the close; then removes the sandbox.
 *
 * @param target The app, its token and a sandbox name in scope.
 * @returns The check that passed.
 */
export async function runWebSocketBridge(target: AdapterTarget): Promise<string[]> {
  const checks: string[] = [];
  const auth = { authorization: `Bearer ${target.token}` };
  const { call, name } = target;
  await check(checks, WEBSOCKET_CHECK, async () => {
    const created = await call("", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ name, image: "alpine" }),
    });
    expectEqual(created.status, 201, `create status (${await created.text()})`);
    try {
      const response = await call(`/${name}/ws?cmd=cat`, {
        headers: { ...auth, upgrade: "websocket" },
      });
      const socket = socketOf(response);
      expectEqual([response.status, socket !== null], [101, true], "upgrade status and socket");
      expectEqual(await converse(socket!), [
        "started",
        "stdout: hello over the bridge\n",
        "exited 0",
        "close 1000",
      ], "what the socket carried");
    } finally {
      await call(`/${name}`, { method: "DELETE", headers: auth }).then((r) => r.body?.cancel());
    }
  });
  return checks;
}

/** Sends stdin and `eof` once started, and lists what arrives until the close. */
function converse(socket: MiniflareSocket): Promise<string[]> {
  const seen: string[] = [];
  return new Promise((resolve) => {
    socket.addEventListener("message", ({ data }) => {
      if (typeof data === "string") {
        const message = JSON.parse(data);
        seen.push(message.type === "exited" ? `exited ${message.code}` : message.type);
        if (message.type === "started") {
          socket.send(new TextEncoder().encode("hello over the bridge\n"));
          socket.send(JSON.stringify({ type: "eof" }));
        }
        return;
      }
      const bytes = new Uint8Array(data as ArrayBuffer);
      const channel = bytes[0] === 1 ? "stdout" : `channel ${bytes[0]}`;
      seen.push(`${channel}: ${new TextDecoder().decode(bytes.subarray(1))}`);
    });
    socket.addEventListener("close", ({ code }) => resolve([...seen, `close ${code}`]));
    socket.accept();
  });
}
