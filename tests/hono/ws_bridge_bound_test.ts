// A unit test of one rule of the WebSocket bridge: stdin that arrives faster than the process takes
// it is bounded. The process here is a stand-in whose stdin never accepts a write (a real cloud
// applies backpressure; the local cloud buffers stdin itself, so it cannot show this).
import assert from "node:assert/strict";
import type { Sandbox } from "../../mod.ts";
import { commandRequest } from "../../src/hono/_command_request.ts";
import { MAX_PENDING_MESSAGE_BYTES, WebSocketBridge } from "../../src/hono/_ws_bridge.ts";
import type { WebSocketPeerLike } from "../../src/hono/mod.ts";

Deno.test("the ws bridge fails with payload_too_large when unread stdin passes its bound", async () => {
  let killed = false;
  const process = {
    stdin: new WritableStream<Uint8Array>({ write: () => new Promise(() => {}) }),
    events: new ReadableStream({
      start: (controller) => controller.enqueue({ type: "started", pid: 7 }),
      cancel: () => {
        killed = true;
      },
    }),
  };
  const sandbox = { spawn: () => Promise.resolve(process) } as unknown as Sandbox;
  const sent: unknown[] = [];
  let closedWith: number | undefined;
  const peer: WebSocketPeerLike = {
    readyState: 1,
    send: (data) => sent.push(typeof data === "string" ? JSON.parse(data) : data),
    close: (code) => closedWith = code,
  };
  const command = commandRequest({
    route: "ws",
    cmd: "sleep",
    args: ["60"],
    env: {},
    cwd: undefined,
    user: undefined,
    tty: false,
    stdin: true,
    timeoutMs: 60_000,
  });
  const events = new WebSocketBridge({ sandbox, command, rows: undefined, cols: undefined })
    .events();
  events.onOpen!(new Event("open"), peer);
  await new Promise((resolve) => setTimeout(resolve, 0));
  const chunk = new Uint8Array(1024 * 1024);
  for (let sentBytes = 0; sentBytes <= MAX_PENDING_MESSAGE_BYTES; sentBytes += chunk.length) {
    assert.equal(closedWith, undefined, `closed after only ${sentBytes} bytes`);
    events.onMessage!({ data: chunk }, peer);
  }
  assert.equal(closedWith, 1011);
  assert.deepEqual(sent.at(-1), {
    type: "error",
    error: {
      code: "payload_too_large",
      message:
        `More than ${MAX_PENDING_MESSAGE_BYTES} bytes wait for the process to read them; send stdin more slowly.`,
    },
  });
  assert.ok(killed, "the process is killed");
});
