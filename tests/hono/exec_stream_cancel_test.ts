// Browsers that leave the adapter's streamed exec (NDJSON and SSE) while the command prints: the
// process is killed and the sandbox's exec socket closed, as the local cloud counts them.
import { execStreamsLeave } from "../http/_leaving_clients.ts";
import { ACME, appSetup, running } from "./_app.ts";

for (const format of ["ndjson", "sse"] as const) {
  Deno.test(`exec route (${format}): a client that leaves while the command prints gets its process killed and its exec socket closed`, async () => {
    await using app = await appSetup();
    await running(app.env, "acme-box");
    await execStreamsLeave(app.env.cloud, `${app.base}/acme-box`, ACME, [format]);
  });
}

Deno.test("exec route: 20 streaming clients (NDJSON and SSE) leave together while their commands print, and every process and exec socket ends", async () => {
  await using app = await appSetup();
  await running(app.env, "acme-box");
  const formats = Array.from({ length: 20 }, (_, i) => i % 2 ? "sse" as const : "ndjson" as const);
  await execStreamsLeave(app.env.cloud, `${app.base}/acme-box`, ACME, formats);
});
