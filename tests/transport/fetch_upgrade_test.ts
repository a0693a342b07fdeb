// The Workers way of opening a socket (`fetch` with `Upgrade: websocket`), with a fake fetch and
// socket: workerd ends an upgraded socket when its fetch's signal aborts, even after the 101, so
// the caller's signal (with its connect deadline) may reach the fetch only while it waits.
// tests/runtimes/workerd_test.ts proves the same in workerd itself.

import assert from "node:assert/strict";
import { openSocket } from "../../src/transport/web_socket.ts";
import { asOnWorkers } from "../_on_workers.ts";
import { FakeSocket } from "./_fake_socket.ts";

/** Opens a socket under `signal` through `fetch`, as the Workers runtime would. */
function open(signal: AbortSignal, fetch: (init: RequestInit) => Promise<Response>) {
  return openSocket("ws://127.0.0.1:1/agent", {
    headers: {},
    protocols: [],
    signal,
    fetch: (_url, init) => fetch(init),
    label: "test socket",
  });
}

Deno.test("openSocket's fetch upgrade keeps the socket when the caller's signal aborts after it opened", async () => {
  await asOnWorkers(async () => {
    const fake = new FakeSocket();
    let fetchSignal: AbortSignal | undefined;
    const caller = new AbortController();
    const socket = await open(caller.signal, (init) => {
      fetchSignal = init.signal ?? undefined;
      return Promise.resolve({ status: 101, webSocket: fake } as unknown as Response);
    });
    caller.abort(new Error("the connect deadline"));
    assert.equal(fetchSignal?.aborted, false, "the upgraded fetch's signal");
    assert.equal(fake.closedWith, undefined);
    socket.close();
  });
});

Deno.test("openSocket's fetch upgrade rejects with the caller's reason and aborts the fetch while it waits", async () => {
  await asOnWorkers(async () => {
    let fetchSignal: AbortSignal | undefined;
    const caller = new AbortController();
    const opening = open(caller.signal, (init) => {
      fetchSignal = init.signal ?? undefined;
      return new Promise((_, reject) => {
        fetchSignal?.addEventListener("abort", () => reject(fetchSignal?.reason));
      });
    });
    const reason = new Error("the connect deadline");
    caller.abort(reason);
    await assert.rejects(opening, (error) => error === reason);
    assert.equal(fetchSignal?.aborted, true, "the waiting fetch's signal");
    assert.equal(fetchSignal?.reason, reason);
  });
});
