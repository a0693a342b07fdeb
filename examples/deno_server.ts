// The example app on Deno: `deno run -A --unstable-net examples/deno_server.ts`, then open the
// link it prints. With MSB_API_KEY set (and MSB_API_URL, unless msb-cloud), it serves msb-cloud;
// otherwise it starts a local cloud in this process, with a sandbox `<tenant>-1` to look at.
// APP_TOKEN, TENANT and PORT are optional (see examples/_app.ts).
import { upgradeWebSocket } from "hono/deno";
import { Microsandbox } from "@microsandbox/edge";
import { type LocalCloud, startLocalCloud } from "@microsandbox/edge/testing";
import { banner, demoApp, demoSettings } from "./_app.ts";

const settings = demoSettings(Deno.env.toObject());
let cloud: LocalCloud | undefined;
let client: Microsandbox;
let sandbox: string | undefined;
if (Deno.env.get("MSB_API_KEY")) {
  client = Microsandbox.fromEnv();
} else {
  cloud = await startLocalCloud();
  client = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
  sandbox = (await client.sandboxes.create({ name: `${settings.tenant}-1`, image: "alpine" })).name;
  console.log(`local cloud at ${cloud.url} (set MSB_API_KEY to use msb-cloud instead)`);
}

const app = demoApp({
  settings,
  client,
  upgradeWebSocket,
  readPage: (file) => Deno.readTextFile(new URL(`./public/${file}`, import.meta.url)),
});
Deno.serve({
  hostname: "127.0.0.1",
  port: settings.port,
  onListen: ({ port }) => console.log(banner(`http://127.0.0.1:${port}`, settings, sandbox)),
}, app.fetch);

// Open log streams never end on their own: close the cloud (which ends its commands) and exit.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await cloud?.close();
    Deno.exit(0);
  });
}
