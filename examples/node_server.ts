// The example app on Node 24 (which strips the types itself): `node examples/node_server.ts`, then
// open the link it prints. It needs a cloud: MSB_API_KEY (and MSB_API_URL, unless msb-cloud). For
// a local one, run `deno task cloud --port 4010 --api-key msb_dev_key` in another shell, then
// start this with MSB_API_URL=http://127.0.0.1:4010 MSB_API_KEY=msb_dev_key.
// APP_TOKEN, TENANT and PORT are optional (see examples/_app.ts). Node has no WebSocket server
// of its own, so WebSocket upgrades (GET /api/sandboxes/:name/ws, and a preview's through
// /api/sandboxes/:name/ports/8080/…) answer 501 here.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import process from "node:process";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { Microsandbox } from "../mod.ts";
import { banner, demoApp, demoSettings } from "./_app.ts";

const settings = demoSettings(process.env);
const app = demoApp({
  settings,
  client: Microsandbox.fromEnv(), // fails at once, with a clear message, without MSB_API_KEY
  readPage: (file) => readFile(new URL(`./public/${file}`, import.meta.url), "utf8"),
});

/** Hands a Node request to the app as a `Request`, and streams its `Response` back. */
async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const gone = new AbortController(); // aborts when the client leaves, which cancels upstream work
  outgoing.on("close", () => gone.abort());
  const headers = new Headers();
  for (let i = 0; i < incoming.rawHeaders.length; i += 2) {
    headers.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
  }
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  const response = await app.fetch(
    new Request(new URL(incoming.url ?? "/", `http://${headers.get("host")}`), {
      method: incoming.method ?? "GET",
      headers,
      body: hasBody ? Readable.toWeb(incoming) as ReadableStream<Uint8Array> : null,
      signal: gone.signal,
      ...(hasBody ? { duplex: "half" } : {}),
    }),
  );
  outgoing.writeHead(response.status, [...response.headers].flat());
  outgoing.flushHeaders();
  if (!response.body) return void outgoing.end();
  // pipeline writes as fast as the client reads, and cancels the body when the client leaves.
  await pipeline(Readable.fromWeb(response.body as WebReadableStream), outgoing);
}

const server = createServer((incoming, outgoing) => {
  handle(incoming, outgoing).catch((error) => {
    if (outgoing.headersSent) outgoing.destroy(error);
    else outgoing.writeHead(500).end();
  });
});
server.listen(settings.port, "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  console.log(banner(`http://127.0.0.1:${port}`, settings));
});
