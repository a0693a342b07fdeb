// sandbox.fetch against the local cloud: HTTP/1.1 over real tunnels to servers started in the
// sandbox by spawn (python3 -m http.server, a Python server that hashes uploads, and Deno itself).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  ConnectionRefusedError,
  InvalidConfigError,
  type Microsandbox,
  type Sandbox,
} from "../../mod.ts";
import { setup } from "../_cloud.ts";
import { unsupportedOnV05 } from "../_unsupported.ts";
import {
  hashServer,
  patternCheck,
  randomFile,
  startChunkedServer,
  startHttpServer,
} from "./_http_servers.ts";
import { deafServer, startServer, until } from "./_servers.ts";

const MIB = 1024 * 1024;
const SITE = "/srv";

function sandboxIn(msb: Microsandbox, name: string): Promise<Sandbox> {
  return msb.sandboxes.create({ name, image: "python" });
}

/** A site folder with `hello.txt`, a `sub/` folder and a 64 MiB random `big.bin`. */
async function site(sandbox: Sandbox): Promise<string> {
  await sandbox.fs.mkdir(`${SITE}/sub`, { recursive: true });
  await sandbox.fs.writeFile(`${SITE}/hello.txt`, "hello from the sandbox\n");
  return await randomFile(sandbox, SITE, "big.bin", 64 * MIB);
}

Deno.test("sandbox.fetch reads a 64 MiB file from python3 -m http.server byte-identical, with the heap growth under 64 MiB", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "big-get");
  const expected = await site(sandbox);
  const server = await startHttpServer(sandbox, SITE, 8000);
  const start = Deno.memoryUsage();
  let peak = start.heapUsed;
  let peakRss = start.rss;
  const response = await sandbox.fetch(8000, "/big.bin");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-length"), String(64 * MIB));
  const hash = createHash("sha256");
  let total = 0;
  for await (const chunk of response.body!) {
    hash.update(chunk);
    total += chunk.byteLength;
    const now = Deno.memoryUsage();
    peak = Math.max(peak, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  }
  assert.equal(total, 64 * MIB);
  assert.equal(hash.digest("hex"), expected);
  const growth = (peak - start.heapUsed) / MIB;
  const rss = (peakRss - start.rss) / MIB;
  // Client and local cloud share this process: the figures are both together.
  console.log(
    `64 MiB via fetch: peak heap growth ${growth.toFixed(1)} MiB, RSS ${rss.toFixed(1)} MiB`,
  );
  assert.ok(growth < 64, `heap grew by ${growth.toFixed(1)} MiB`);
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});

Deno.test("sandbox.fetch reads a chunked response from a Deno server in the sandbox", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "chunked");
  const size = 16 * MIB + 17;
  const server = await startChunkedServer(sandbox, size, 8001);
  const response = await sandbox.fetch(8001, "/");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("transfer-encoding"), "chunked");
  assert.equal(response.headers.get("content-length"), null);
  assert.deepEqual(await patternCheck(response.body!), { total: size, mismatch: -1 });
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});

/** 64 MiB of a known pattern in 1 MiB pieces, made as read, and their SHA-256. */
function upload(): { body: ReadableStream<Uint8Array>; hash: string } {
  const block = new Uint8Array(MIB).map((_, i) => (i * 7) % 251);
  const hash = createHash("sha256");
  for (let i = 0; i < 64; i++) hash.update(block);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === 64) return controller.close();
      controller.enqueue(block.slice());
    },
  });
  return { body, hash: hash.digest("hex") };
}

Deno.test("sandbox.fetch streams a 64 MiB upload to a server in the sandbox, chunked or sized", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "upload");
  const server = await startServer(sandbox, hashServer(8002));
  for (const framing of ["chunked", "sized"]) {
    const { body, hash } = upload();
    const headers: HeadersInit = framing === "sized" ? { "content-length": String(64 * MIB) } : {};
    const start = Deno.memoryUsage().heapUsed;
    const response = await sandbox.fetch(8002, "/upload", {
      method: "POST",
      body,
      headers,
      duplex: "half",
    } as RequestInit);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), `${framing} ${64 * MIB} ${hash}`);
    const growth = (Deno.memoryUsage().heapUsed - start) / MIB;
    assert.ok(growth < 64, `heap grew by ${growth.toFixed(1)} MiB (${framing})`);
    await until(() => env.cloud.openTcpTunnels().length === 0);
  }
  await server.kill();
});

Deno.test("sandbox.fetch: HEAD has no body, a redirect is returned rather than followed", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "head");
  await site(sandbox);
  const server = await startHttpServer(sandbox, SITE, 8003);
  const head = await sandbox.fetch(8003, "/big.bin", { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), String(64 * MIB));
  assert.equal(head.body, null);
  await until(() => env.cloud.openTcpTunnels().length === 0);
  const moved = await sandbox.fetch(8003, "/sub?x=1");
  assert.equal(moved.status, 301);
  assert.equal(moved.headers.get("location"), "/sub/?x=1");
  assert.equal(moved.redirected, false);
  await moved.body?.cancel();
  const page = await sandbox.fetch(8003, "/hello.txt");
  assert.equal(await page.text(), "hello from the sandbox\n");
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});

Deno.test("sandbox.fetch takes a bare path, a full URL or a Request: the URL names the Host, the port picks the server", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "targets");
  const server = await startServer(sandbox, hashServer(8004));
  const text = async (input: RequestInfo | URL) => await (await sandbox.fetch(8004, input)).text();
  assert.equal(await text("/a?b=1"), "GET /a?b=1 localhost:8004");
  assert.equal(await text("http://app.test/x/y"), "GET /x/y app.test");
  assert.equal(await text(new URL("http://app.test:9/z")), "GET /z app.test:9");
  assert.equal(await text(new Request("http://other.test/r?s")), "GET /r?s other.test");
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});

Deno.test("sandbox.fetch with nothing listening rejects with ConnectionRefusedError", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "refused");
  const error = await sandbox.fetch(8099, "/").catch((e) => e);
  assert.ok(error instanceof ConnectionRefusedError, String(error));
  assert.equal(error.kind, "ConnectionRefused");
  assert.equal(error.port, 8099);
  assert.match(error.message, /Connection refused/);
  assert.ok(!error.message.includes(env.cloud.apiKey));
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await until(() => env.cloud.liveSockets() === 0);
});

Deno.test("sandbox.fetch with nothing listening cancels the streamed request body with the error", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "refused-body");
  let cancelled: unknown;
  const body = new ReadableStream<Uint8Array>({
    cancel: (reason) => void (cancelled = reason),
  });
  const error = await sandbox.fetch(
    8099,
    "/",
    { method: "POST", body, duplex: "half" } as RequestInit,
  )
    .catch((e) => e);
  assert.ok(error instanceof ConnectionRefusedError, String(error));
  assert.equal(cancelled, error);
  await until(() => env.cloud.liveSockets() === 0);
});

Deno.test("sandbox.fetch: cancelling the response body closes the tunnel", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "cancel");
  await site(sandbox);
  const server = await startHttpServer(sandbox, SITE, 8005);
  const response = await sandbox.fetch(8005, "/big.bin");
  const reader = response.body!.getReader();
  assert.ok((await reader.read()).value!.byteLength > 0);
  assert.equal(env.cloud.openTcpTunnels().length, 1);
  await reader.cancel();
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await server.kill();
});

Deno.test("sandbox.fetch: aborting the request's signal closes the tunnel, before the head or in the body", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "abort");
  await site(sandbox);
  const server = await startHttpServer(sandbox, SITE, 8006);
  const deaf = await startServer(sandbox, deafServer(8007));

  const inBody = new AbortController();
  const response = await sandbox.fetch(8006, "/big.bin", { signal: inBody.signal });
  const reader = response.body!.getReader();
  assert.ok((await reader.read()).value!.byteLength > 0);
  assert.equal(env.cloud.openTcpTunnels().length, 1);
  inBody.abort(new Error("left in the body"));
  await assert.rejects(reader.read(), /left in the body/);
  await until(() => env.cloud.openTcpTunnels().length === 0);

  const beforeHead = new AbortController();
  const waiting = sandbox.fetch(8007, "/", { signal: beforeHead.signal });
  await until(() => env.cloud.openTcpTunnels().length === 1, "the tunnel to the deaf server");
  beforeHead.abort(new Error("left before the head"));
  await assert.rejects(waiting, /left before the head/);
  await until(() => env.cloud.openTcpTunnels().length === 0);

  const aborted = AbortSignal.abort(new Error("never sent"));
  await assert.rejects(sandbox.fetch(8006, "/", { signal: aborted }), /never sent/);
  await until(() => env.cloud.openTcpTunnels().length === 0);
  await deaf.kill();
  await server.kill();
});

Deno.test("sandbox.fetch refuses a bad port with InvalidConfigError before any request", async () => {
  await using env = await setup("current");
  const sandbox = await sandboxIn(env.msb, "bad-port");
  const requests = env.cloud.requests.length;
  for (const port of [0, 65536, 1.5, Number.NaN, -1, "80" as unknown as number]) {
    await assert.rejects(sandbox.fetch(port, "/"), (error: unknown) => {
      assert.ok(error instanceof InvalidConfigError, `${port}: ${error}`);
      assert.equal(error.kind, "InvalidConfig");
      assert.match(error.message, /1 to 65535/);
      return true;
    });
  }
  assert.equal(env.cloud.requests.length, requests);
  assert.equal(env.cloud.liveSockets(), 0);
});

Deno.test('sandbox.fetch on wire "v0.5" is Unsupported in the seed\'s words, before any request', async () => {
  await using env = await setup("v0.5");
  const sandbox = await env.msb.sandboxes.create({ name: "seed", image: "python" });
  const requests = env.cloud.requests.length;
  await assert.rejects(sandbox.fetch(8000, "/"), unsupportedOnV05("fetch"));
  assert.equal(env.cloud.requests.length, requests);
});
