// A response streams as it arrives, and every way out closes the connection: cancelling the
// body, aborting the request's signal before or after the head, or a signal already aborted.
import assert from "node:assert/strict";
import { ConnectionError } from "../../src/errors.ts";
import { fetchHttp1 } from "../../src/http1/mod.ts";
import { connectTo, peerClosed, rawServer, writeText } from "./_servers.ts";

const CHUNKED_HEAD = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

/** A server that writes `CHUNKED_HEAD` and one chunk, then waits for the client to close. */
function stallingServer() {
  const { promise: closed, resolve } = Promise.withResolvers<void>();
  const server = rawServer(async ({ conn }) => {
    await writeText(conn, `${CHUNKED_HEAD}5\r\nfirst\r\n`);
    await peerClosed(conn);
    resolve();
  });
  return { server, closed };
}

Deno.test("fetchHttp1 hands out the body as it arrives, before the server ends it", async () => {
  const { promise: read, resolve } = Promise.withResolvers<void>();
  await using server = rawServer(async ({ conn }) => {
    await writeText(conn, `${CHUNKED_HEAD}5\r\nfirst\r\n`);
    await read;
    await writeText(conn, "4\r\nnext\r\n0\r\n\r\n");
  });
  const socket = await connectTo(server.port);
  const response = await fetchHttp1(socket, new Request(`http://127.0.0.1:${server.port}/`));
  const reader = response.body!.getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), "first");
  resolve();
  assert.equal(new TextDecoder().decode((await reader.read()).value), "next");
  assert.equal((await reader.read()).done, true);
  assert.ok(socket.wasClosed);
});

Deno.test("fetchHttp1 closes the connection when the response body is cancelled", async () => {
  const { server, closed } = stallingServer();
  await using _ = server;
  const socket = await connectTo(server.port);
  const response = await fetchHttp1(socket, new Request(`http://127.0.0.1:${server.port}/`));
  const reader = response.body!.getReader();
  assert.equal((await reader.read()).value?.length, 5);
  await reader.cancel();
  await closed;
  assert.ok(socket.wasClosed);
});

Deno.test("fetchHttp1 errors the body with the signal's reason and closes on abort", async () => {
  const { server, closed } = stallingServer();
  await using _ = server;
  const socket = await connectTo(server.port);
  const controller = new AbortController();
  const request = new Request(`http://127.0.0.1:${server.port}/`, { signal: controller.signal });
  const response = await fetchHttp1(socket, request);
  const reader = response.body!.getReader();
  await reader.read();
  const pending = reader.read();
  controller.abort(new RangeError("the user left"));
  await assert.rejects(pending, RangeError);
  await closed;
});

Deno.test("fetchHttp1 rejects with the signal's reason when aborted before the head", async () => {
  const { promise: asked, resolve } = Promise.withResolvers<void>();
  const { promise: closed, resolve: sawClose } = Promise.withResolvers<void>();
  await using server = rawServer(async ({ conn }) => {
    resolve();
    await peerClosed(conn);
    sawClose();
  });
  const socket = await connectTo(server.port);
  const controller = new AbortController();
  const request = new Request(`http://127.0.0.1:${server.port}/`, { signal: controller.signal });
  const response = fetchHttp1(socket, request);
  await asked;
  controller.abort();
  await assert.rejects(response, (error: DOMException) => error.name === "AbortError");
  await closed;
});

Deno.test("fetchHttp1 sends nothing and closes for a signal already aborted", async () => {
  await using server = rawServer(() => Promise.resolve());
  const socket = await connectTo(server.port);
  const request = new Request(`http://127.0.0.1:${server.port}/`, {
    signal: AbortSignal.abort(new RangeError("too late")),
  });
  await assert.rejects(fetchHttp1(socket, request), RangeError);
  assert.ok(socket.wasClosed);
  await server.settled();
  assert.deepEqual(server.heads, []);
});

Deno.test("fetchHttp1 reports a socket that fails while reading as a ConnectionError", async () => {
  let closed = false;
  const socket = {
    readable: new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab"),
        );
      },
      pull(controller) {
        controller.error(new Error("connection reset"));
      },
    }),
    writable: new WritableStream<Uint8Array>(),
    close: () => Promise.resolve(void (closed = true)),
  };
  const response = await fetchHttp1(socket, new Request("http://sandbox/"));
  await assert.rejects(response.text(), (error: ConnectionError) => {
    assert.ok(error instanceof ConnectionError);
    assert.equal(error.kind, "Connection");
    assert.equal((error.cause as Error).message, "connection reset");
    return true;
  });
  assert.ok(closed);
});
