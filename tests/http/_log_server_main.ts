// A server that serves one sandbox's log to browsers, run as its own process (Deno or Bun) by
// tests/http/_leaving_clients.ts: `GET /logs` is `toSseResponse(sandbox.logs())` as the README
// writes it, `GET /quiet` a log of a source nobody writes to (only heartbeats go out), and
// `POST /stop` stops serving. It never calls exit: once it stops serving it must end by itself,
// which it cannot while a timer, a request or a socket of a departed client is still held.
//
// Environment: MSB_API_URL, MSB_API_KEY, SANDBOX (a sandbox name). Prints `open <origin>` once
// it listens and `stopped` once it has stopped serving.
import process from "node:process";
import { Microsandbox, toSseResponse } from "../../mod.ts";

/** The part of Bun's server this file uses (Deno's types do not know Bun). */
interface BunServer {
  readonly port: number;
  stop(closeActiveConnections?: boolean): Promise<void>;
}
interface BunLike {
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request) => Response | Promise<Response>;
  }): BunServer;
}

const { MSB_API_URL: url, MSB_API_KEY: apiKey, SANDBOX: name } = process.env;
if (!url || !apiKey || !name) throw new Error("MSB_API_URL, MSB_API_KEY and SANDBOX must be set");
const sandbox = await new Microsandbox({ apiKey, url }).sandboxes.get(name);

let stop: () => Promise<void> = () => Promise.resolve();
function handle(request: Request): Response {
  const { pathname } = new URL(request.url);
  if (pathname === "/logs") return toSseResponse(sandbox.logs());
  if (pathname === "/quiet") return toSseResponse(sandbox.logs({ sources: ["stderr"] }));
  if (pathname === "/stop" && request.method === "POST") {
    setTimeout(() => stop().then(() => console.log("stopped")), 0);
    return new Response("stopping\n");
  }
  return new Response("not found\n", { status: 404 });
}

const bun = (globalThis as { Bun?: BunLike }).Bun;
if (bun) {
  const server = bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handle });
  stop = () => server.stop();
  console.log(`open http://127.0.0.1:${server.port}`);
} else {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handle);
  stop = () => server.shutdown();
  console.log(`open http://127.0.0.1:${server.addr.port}`);
}
