// A Cloudflare Worker whose fetch handler streams 256 MiB from a sandbox to a reader that only
// counts bytes (workerd upgrades through fetch: a plain WebSocket, no read backpressure).

import { Microsandbox } from "../../mod.ts";
import { runFlood } from "./_isolation.ts";

/** The bindings the runner gives the Worker. */
interface Env {
  MSB_API_URL: string;
  MSB_API_KEY: string;
}

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const msb = new Microsandbox({ apiKey: env.MSB_API_KEY, url: env.MSB_API_URL });
    const sandbox = await msb.sandboxes.create({ name: "flood", image: "alpine" });
    while (sandbox.status !== "running") await sandbox.refresh();
    return Response.json({ flood: await runFlood(sandbox) });
  },
};
