import assert from "node:assert/strict";
import { ConnectionError, InvalidConfigError, Microsandbox } from "../../mod.ts";
import { resolveOptions } from "../../src/config/client_options.ts";
import { HttpTransport } from "../../src/transport/http_transport.ts";
import { setup } from "../_cloud.ts";

const LIST = "GET /v1/sandboxes";

/** A loopback port nothing listens on: bound, then released. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * A TCP server that reads each request and then answers `reply` (nothing: close at once) before
 * closing the connection. Dispose to stop it.
 */
function rawServer(reply = ""): { port: number } & Disposable {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  (async () => {
    for await (const conn of listener) {
      await conn.read(new Uint8Array(64 * 1024)).catch(() => null);
      if (reply) await conn.write(new TextEncoder().encode(reply)).catch(() => 0);
      conn.close();
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    [Symbol.dispose]: () => listener.close(),
  };
}

function client(url: string, options: { userAgent?: string } = {}): Microsandbox {
  return new Microsandbox({ apiKey: "msb_test_k", url, retry: false, ...options });
}

/** The operation of the log stream the HttpTransport.stream tests open. */
const LOGS = "GET /v1/sandboxes/:id/logs";

/** Opens a log stream, never retried, with an HttpTransport of its own on loopback `port`. */
function streamLogs(port: number): Promise<Response> {
  const transport = new HttpTransport(
    resolveOptions({ apiKey: "msb_test_k", url: `http://127.0.0.1:${port}` }),
  );
  return transport.stream({ operation: LOGS, method: "GET", path: "/x", retry: "never" });
}

function connectionError(message: string) {
  return (error: unknown) => {
    assert.ok(error instanceof ConnectionError, String(error));
    assert.equal(error.kind, "Connection");
    assert.equal(error.message, message);
    assert.equal(error.operation, LIST);
    assert.ok(error.cause instanceof TypeError, "the runtime's error is the cause");
    return true;
  };
}

Deno.test("ConnectionError names the host, the port and a refused connection", async () => {
  const port = closedPort();
  await assert.rejects(
    client(`http://127.0.0.1:${port}`).sandboxes.list(),
    connectionError(
      `${LIST}: cannot connect to 127.0.0.1:${port}: connection refused; check the URL and ` +
        "that the server is running",
    ),
  );
});

Deno.test("ConnectionError says so when the server resets the connection before answering", async () => {
  using server = rawServer();
  await assert.rejects(
    client(`http://127.0.0.1:${server.port}`).sandboxes.list(),
    connectionError(
      `${LIST}: the connection to 127.0.0.1:${server.port} was reset before the response was ` +
        "complete; try again",
    ),
  );
});

Deno.test("ConnectionError says so when the connection is cut inside the body", async () => {
  await using env = await setup("current", { retry: false });
  env.cloud.faults.dropNext(1);
  const { port } = new URL(env.cloud.url);
  await assert.rejects(
    env.msb.sandboxes.list(),
    connectionError(
      `${LIST}: the connection to 127.0.0.1:${port} was reset before the response was ` +
        "complete; try again",
    ),
  );
});

Deno.test("ConnectionError names a failed TLS handshake (https to a plain HTTP server)", async () => {
  await using env = await setup("current");
  const { port } = new URL(env.cloud.url);
  await assert.rejects(
    client(`https://127.0.0.1:${port}`).sandboxes.list(),
    connectionError(
      `${LIST}: cannot connect to 127.0.0.1:${port}: the TLS handshake failed; check that the ` +
        "URL's scheme (http or https) is right and that the server's certificate is valid",
    ),
  );
});

Deno.test("A request the runtime refuses to send is an InvalidConfigError, not a connection error", async () => {
  await using env = await setup("current");
  await assert.rejects(
    client(env.cloud.url, { userAgent: "bot\n1.0" }).sandboxes.list(),
    (error: unknown) => {
      assert.ok(error instanceof InvalidConfigError, String(error));
      assert.match(
        error.message,
        /^GET \/v1\/sandboxes: the request cannot be sent: Invalid header value: .*; check the url and userAgent options$/s,
      );
      assert.ok(error.cause instanceof TypeError);
      return true;
    },
  );
  assert.equal(env.cloud.requests.length, 0, "nothing was sent, nothing retried");
});

Deno.test("HttpTransport.stream maps a body cut inside an error answer to ConnectionError", async () => {
  using server = rawServer("HTTP/1.1 500 Internal Server Error\r\ncontent-length: 100\r\n\r\n{");
  await assert.rejects(
    streamLogs(server.port),
    (error: unknown) => {
      assert.ok(error instanceof ConnectionError, String(error));
      assert.equal(
        error.message,
        `${LOGS}: the connection to 127.0.0.1:${server.port} was reset ` +
          "before the response was complete; try again",
      );
      assert.ok(error.cause instanceof TypeError);
      return true;
    },
  );
});

Deno.test("HttpTransport.stream maps a refused connection to ConnectionError", async () => {
  const port = closedPort();
  await assert.rejects(
    streamLogs(port),
    {
      name: "ConnectionError",
      message: `${LOGS}: cannot connect to 127.0.0.1:${port}: connection ` +
        "refused; check the URL and that the server is running",
    },
  );
});

Deno.test("A body that cannot be sent as JSON is an InvalidConfigError, before any request", async () => {
  await using env = await setup("current");
  const transport = new HttpTransport(
    resolveOptions({ apiKey: env.cloud.apiKey, url: env.cloud.url }),
  );
  await assert.rejects(
    transport.json({
      operation: "POST /v1/sandboxes",
      method: "POST",
      path: "/v1/sandboxes",
      body: { labels: { big: 1n } },
      retry: "never",
    }),
    (error: unknown) => {
      assert.ok(error instanceof InvalidConfigError, String(error));
      assert.match(
        error.message,
        /^POST \/v1\/sandboxes: the request body cannot be sent as JSON \(.*BigInt.*\); use plain strings, numbers, booleans, arrays and objects in the spec$/,
      );
      return true;
    },
  );
  // Through the client, the spec check names the field first.
  const labels = { big: 1n } as unknown as Record<string, string>;
  await assert.rejects(
    env.msb.sandboxes.create({ name: "box", image: "alpine", labels }),
    /`labels` must be an object of strings/,
  );
  assert.deepEqual(env.cloud.requests, []);
});
