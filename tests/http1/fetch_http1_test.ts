// fetchHttp1 against a real Deno.serve server over loopback: what goes out (target, Host,
// hop-by-hop fields dropped, Connection: close, body framing) and what comes back (status,
// headers, bodies, HEAD, 204, 304, redirects returned as they are).
import assert from "node:assert/strict";
import { fetchHttp1 } from "../../src/http1/mod.ts";
import { connectTo, httpServer } from "./_servers.ts";

/** One exchange with the server on `port`. */
async function exchange(port: number, path: string, init?: RequestInit): Promise<Response> {
  const socket = await connectTo(port);
  return fetchHttp1(socket, new Request(`http://127.0.0.1:${port}${path}`, init));
}

/** What the server saw of a request. */
interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

async function seen(request: Request): Promise<Seen> {
  return {
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers),
    body: await request.text(),
  };
}

Deno.test("fetchHttp1 sends the target, Host and end-to-end fields, and reads the answer", async () => {
  await using server = httpServer(async (request) => Response.json(await seen(request)));
  const response = await exchange(server.port, "/a/b?x=1&y=2", {
    headers: {
      "X-Custom": "kept",
      Connection: "keep-alive, X-Private",
      "X-Private": "dropped as Connection names it",
      "Keep-Alive": "timeout=5",
      "Proxy-Authorization": "Basic secret",
      TE: "trailers",
      Upgrade: "websocket",
    },
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/json");
  const got = await response.json() as Seen;
  assert.equal(got.method, "GET");
  assert.equal(got.url, `http://127.0.0.1:${server.port}/a/b?x=1&y=2`);
  assert.equal(got.headers["x-custom"], "kept");
  assert.equal(got.headers["host"], `127.0.0.1:${server.port}`);
  for (const name of ["x-private", "keep-alive", "proxy-authorization", "te", "upgrade"]) {
    assert.equal(got.headers[name], undefined, name);
  }
  assert.equal(got.body, "");
});

Deno.test("fetchHttp1 sends a short body with its Content-Length", async () => {
  await using server = httpServer(async (request) => Response.json(await seen(request)));
  const response = await exchange(server.port, "/upload", { method: "POST", body: "hello" });
  const got = await response.json() as Seen;
  assert.deepEqual([got.method, got.body, got.headers["content-length"]], ["POST", "hello", "5"]);
  assert.equal(got.headers["transfer-encoding"], undefined);
});

Deno.test("fetchHttp1 sends Content-Length 0 for a POST without a body", async () => {
  await using server = httpServer(async (request) => Response.json(await seen(request)));
  const got = await (await exchange(server.port, "/", { method: "POST" })).json() as Seen;
  assert.equal(got.headers["content-length"], "0");
});

Deno.test("fetchHttp1 sends a long streamed body chunked", async () => {
  await using server = httpServer(async (request) => Response.json(await seen(request)));
  const piece = "x".repeat(40_000);
  const response = await exchange(server.port, "/", {
    method: "PUT",
    body: ReadableStream.from([piece, piece, piece]).pipeThrough(new TextEncoderStream()),
  });
  const got = await response.json() as Seen;
  assert.equal(got.headers["transfer-encoding"], "chunked");
  assert.equal(got.body, piece.repeat(3));
});

Deno.test("fetchHttp1 keeps the Content-Length a streamed request declares", async () => {
  await using server = httpServer(async (request) => Response.json(await seen(request)));
  const piece = "y".repeat(50_000);
  const response = await exchange(server.port, "/", {
    method: "PUT",
    headers: { "Content-Length": "100000" },
    body: ReadableStream.from([piece, piece]).pipeThrough(new TextEncoderStream()),
  });
  const got = await response.json() as Seen;
  assert.deepEqual([got.headers["content-length"], got.body.length], ["100000", 100_000]);
});

Deno.test("fetchHttp1 rejects a body longer than its declared Content-Length", async () => {
  await using server = httpServer(async (request) => Response.json(await seen(request)));
  const request = exchange(server.port, "/", {
    method: "PUT",
    headers: { "Content-Length": "3" },
    body: ReadableStream.from(["toolong"]).pipeThrough(new TextEncoderStream()),
  });
  await assert.rejects(request, (error: Error) => {
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /more than 3 bytes, not its Content-Length of 3/);
    return true;
  });
});

Deno.test("fetchHttp1 rejects with the error of a failing request body, and closes", async () => {
  await using server = httpServer(async (request) => Response.json(await seen(request)));
  const socket = await connectTo(server.port);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new RangeError("the upload source broke"));
    },
  });
  const request = new Request(`http://127.0.0.1:${server.port}/`, { method: "POST", body });
  await assert.rejects(fetchHttp1(socket, request), RangeError);
  assert.ok(socket.wasClosed);
});

Deno.test("fetchHttp1 gives HEAD, 204 and 304 answers a null body", async () => {
  await using server = httpServer((request) => {
    const status = Number(new URL(request.url).searchParams.get("status") ?? 200);
    return new Response(status === 200 ? "twelve bytes" : null, { status });
  });
  const head = await exchange(server.port, "/", { method: "HEAD" });
  assert.deepEqual([head.status, head.body, head.headers.get("content-length")], [200, null, "12"]);
  for (const status of [204, 304]) {
    const response = await exchange(server.port, `/?status=${status}`);
    assert.deepEqual([response.status, response.body], [status, null]);
  }
});

Deno.test("fetchHttp1 returns a redirect as it is", async () => {
  await using server = httpServer(() =>
    new Response("moved", { status: 302, headers: { Location: "/elsewhere" } })
  );
  const response = await exchange(server.port, "/old");
  assert.equal(response.status, 302);
  assert.equal(response.headers.get("location"), "/elsewhere");
  assert.equal(await response.text(), "moved");
});

Deno.test("fetchHttp1 streams a chunked answer from Deno.serve", async () => {
  await using server = httpServer(() =>
    new Response(
      ReadableStream.from(["one ", "two ", "three"]).pipeThrough(new TextEncoderStream()),
    )
  );
  const response = await exchange(server.port, "/");
  assert.equal(response.headers.get("transfer-encoding"), "chunked");
  assert.equal(await response.text(), "one two three");
});

Deno.test("fetchHttp1 keeps repeated fields such as Set-Cookie", async () => {
  await using server = httpServer(() => {
    const headers = new Headers();
    headers.append("Set-Cookie", "a=1");
    headers.append("Set-Cookie", "b=2");
    return new Response("ok", { headers });
  });
  const response = await exchange(server.port, "/");
  assert.deepEqual(response.headers.getSetCookie(), ["a=1", "b=2"]);
  await response.body?.cancel();
});
