// A cancelled `sandbox.logs()` stays cancelled, and a stream that cannot go on fails with a
// ConnectionError that carries the runtime's error.
import assert from "node:assert/strict";
import { ConnectionError, Microsandbox, MicrosandboxError, type Sandbox } from "../../mod.ts";
import { GENERATIONS, type Setup, setup } from "../_cloud.ts";
import { assertLogsReleased, logRequests, until } from "../http/_released.ts";

async function sandboxOf(env: Setup, name = "tail"): Promise<Sandbox> {
  const sandbox = await env.msb.sandboxes.create({ name, image: "alpine" });
  while (sandbox.status !== "running") await sandbox.refresh();
  return sandbox;
}

function lines(count: number) {
  return Array.from({ length: count }, (_, i) => ({ source: "stdout" as const, text: `${i}\n` }));
}

/** The error a promise rejects with (it must reject). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error, `rejected with ${error}`);
    return error;
  }
  throw new Error("the promise resolved");
}

/**
 * Serves GET requests by passing them on to `upstream`; a log stream's body goes on after a
 * `retry: 1` field, so clients reconnect after 1 ms, and is cut when the upstream one is.
 */
function retryFastProxy(upstream: string): Deno.HttpServer & { url: string } {
  const quiet = { hostname: "127.0.0.1", port: 0, onListen() {}, onError: () => new Response() };
  const server = Deno.serve(quiet, async (request) => {
    const { pathname, search } = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.delete("host");
    const response = await fetch(`${upstream}${pathname}${search}`, { headers });
    if (!pathname.endsWith("/logs") || !response.body) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode("retry: 1\n\n")),
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, { status: response.status, headers: response.headers });
  });
  return Object.assign(server, { url: `http://127.0.0.1:${server.addr.port}` });
}

for (const wire of GENERATIONS) {
  Deno.test(`Sandbox.logs opens no request after a cancel while a read waits on the server (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await sandboxOf(env);
    const reader = sandbox.logs({ sources: ["stdout"] }).getReader();
    const read = reader.read();
    await until(() => env.cloud.liveLogStreams() === 1, "the log request is open");
    await reader.cancel();
    assert.equal((await read).done, true);
    await assertLogsReleased(env.cloud, 1);
  });

  Deno.test(`Sandbox.logs cancelled while its request is on the way releases the response that comes after (${wire})`, async () => {
    await using env = await setup(wire);
    await sandboxOf(env);
    // A fetch that goes on once sent, as a service binding's may: the response still arrives.
    let sending!: () => void;
    const sent = new Promise<void>((resolve) => sending = resolve);
    const msb = new Microsandbox({
      apiKey: env.cloud.apiKey,
      url: env.cloud.url,
      wire,
      fetch: (input, init) => {
        if (String(input).includes("/logs")) sending();
        return fetch(input, { ...init, signal: null });
      },
    });
    const sandbox = await msb.sandboxes.get("tail");
    const reader = sandbox.logs({ sources: ["stdout"] }).getReader();
    const read = reader.read();
    await sent;
    await reader.cancel();
    assert.equal((await read).done, true);
    await until(() => logRequests(env.cloud) === 1, "the log request arrived");
    await assertLogsReleased(env.cloud, 1);
  });

  Deno.test(`Sandbox.logs opens no request after a cancel during its reconnection backoff (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await sandboxOf(env);
    env.cloud.faults.logFault("cutAfter", { events: 0, requests: 100 });
    const reader = sandbox.logs({ sources: ["stdout"] }).getReader();
    const read = reader.read();
    await until(() => logRequests(env.cloud) >= 2, "the stream reconnected once");
    await reader.cancel();
    assert.equal((await read).done, true);
    await assertLogsReleased(env.cloud, logRequests(env.cloud));
  });

  Deno.test(`Sandbox.logs with reconnect: false rejects a cut with a ConnectionError caused by the runtime's error (${wire})`, async () => {
    await using env = await setup(wire);
    const sandbox = await sandboxOf(env);
    env.cloud.appendLog(sandbox.name, lines(2));
    env.cloud.faults.logFault("cutAfter", { events: 1 });
    const reader = sandbox.logs({ sources: ["stdout"], reconnect: false }).getReader();
    assert.equal((await reader.read()).value?.text(), "0\n");
    const error = await rejection(reader.read());
    assert.ok(error instanceof ConnectionError, `${error.name}: ${error.message}`);
    assert.match(
      error.message,
      /^GET \/v1\/sandboxes\/:id\/logs: the connection was cut \(.+\), and reconnect is false; read again from the cursor of the last entry, or leave reconnect on to resume by itself$/,
    );
    assert.ok(error.cause instanceof TypeError, `cause: ${error.cause}`);
    assert.equal(logRequests(env.cloud), 1);

    await env.cloud.close();
    const refused = await rejection(
      sandbox.logs({ sources: ["stdout"], reconnect: false }).getReader().read(),
    );
    assert.ok(refused instanceof ConnectionError, `${refused.name}: ${refused.message}`);
    assert.match(
      refused.message,
      /^GET \/v1\/sandboxes\/:id\/logs: could not reach the cloud \(.+\), and reconnect is false;/,
    );
    assert.ok(refused.cause instanceof TypeError, `cause: ${refused.cause}`);
  });

  Deno.test(`Sandbox.logs gives up after 10 fruitless reconnections with a ConnectionError caused by the runtime's error (${wire})`, async () => {
    await using env = await setup(wire);
    await sandboxOf(env);
    await using proxy = retryFastProxy(env.cloud.url);
    env.cloud.faults.logFault("cutAfter", { events: 0, requests: 100 });
    const msb = new Microsandbox({ apiKey: env.cloud.apiKey, url: proxy.url, wire });
    const sandbox = await msb.sandboxes.get("tail");
    const error = await rejection(sandbox.logs({ sources: ["stdout"] }).getReader().read());
    assert.ok(error instanceof ConnectionError, `${error.name}: ${error.message}`);
    assert.match(
      error.message,
      /^GET \/v1\/sandboxes\/:id\/logs: gave up after 10 reconnections in a row without a new entry, the last because the connection was cut \(.+\); check that the sandbox exists and the cloud is reachable, then read again from the cursor of the last entry$/,
    );
    assert.ok(error.cause instanceof TypeError, `cause: ${error.cause}`);
    assert.ok(!(error.cause instanceof MicrosandboxError));
    assert.equal(logRequests(env.cloud), 11);
  });
}
