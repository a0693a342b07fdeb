// Browsers that close the adapter's WebSocket bridge while their commands print: every process is
// killed and every exec socket of the sandbox closed, as the local cloud counts them.
import { webSocketsLeave } from "../http/_leaving_clients.ts";
import { ACME, appSetup, running } from "./_app.ts";

for (const count of [1, 20]) {
  Deno.test(`ws route: ${count} browser socket(s) closing while their commands print get every process killed and exec socket closed`, async () => {
    await using app = await appSetup();
    await running(app.env, "acme-ws");
    await webSocketsLeave(app.env.cloud, `${app.base}/acme-ws`, ACME, count);
  });
}
