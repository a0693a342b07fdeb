// The example app on Bun: `bun examples/bun_server.ts`, then open the link it prints.
// It needs a cloud: MSB_API_KEY (and MSB_API_URL, unless msb-cloud). For a local one, run
// `deno task cloud --port 4010 --api-key msb_dev_key` in another shell, then
// `MSB_API_URL=http://127.0.0.1:4010 MSB_API_KEY=msb_dev_key bun examples/bun_server.ts`.
// APP_TOKEN, TENANT and PORT are optional (see examples/_app.ts).
import { readFile } from "node:fs/promises";
import process from "node:process";
import { upgradeWebSocket, websocket } from "hono/bun";
import { Microsandbox } from "../mod.ts";
import { banner, demoApp, demoSettings } from "./_app.ts";

/** The part of Bun's global that this file uses, so that Deno can type-check it too. */
declare const Bun: {
  serve(options: {
    hostname: string;
    port: number;
    idleTimeout: number;
    fetch: (request: Request, server: unknown) => Response | Promise<Response>;
    websocket: typeof websocket;
  }): { url: URL };
};

const settings = demoSettings(process.env);
const app = demoApp({
  settings,
  client: Microsandbox.fromEnv(), // fails at once, with a clear message, without MSB_API_KEY
  upgradeWebSocket,
  readPage: (file) => readFile(new URL(`./public/${file}`, import.meta.url), "utf8"),
});
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: settings.port,
  // Bun closes a connection idle for 10 s by default, which would cut quiet log streams.
  idleTimeout: 0,
  fetch: (request, bun) => app.fetch(request, { server: bun }),
  websocket,
});
console.log(banner(server.url.origin, settings));
