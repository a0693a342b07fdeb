import assert from "node:assert/strict";
import { ACME, appSetup, json, running } from "./_app.ts";
import { capturingConsole } from "./_console.ts";

Deno.test("sandboxRoutes never puts the API key in a body, a header or the console", async () => {
  await using app = await appSetup({ commands: ({ cmd }) => cmd !== "rm" });
  const key = app.env.cloud.apiKey;
  const seen: string[] = [];
  const keep = async (response: Response) => {
    seen.push(await response.text(), JSON.stringify([...response.headers]));
  };
  const printed = await capturingConsole(async () => {
    await running(app.env, "acme-box");
    await keep(await app.request("", { headers: ACME }));
    await keep(await app.request("/acme-box", { headers: ACME }));
    await keep(await app.request("", json(ACME, { name: "acme-box", image: "alpine" })));
    await keep(await app.request("/acme-box/exec", json(ACME, { cmd: "sh", args: ["-c", "env"] })));
    await keep(await app.request("/acme-box/exec", json(ACME, { cmd: "rm" })));
    await keep(await app.request("/acme-box/exec", json(ACME, { cmd: "no-such-command" })));
    await keep(await app.request("/globex-x", { headers: ACME }));
    await keep(await app.request("/acme-box", { headers: { authorization: `Bearer ${key}` } }));
    for (const status of [400, 401, 403, 409, 500, 502]) {
      app.env.cloud.faults.failNext(5, {
        status,
        message: `echo ${key}`,
        body: `{"key":"${key}"}`,
      });
      await keep(await app.request("/acme-box", { headers: ACME }));
      app.env.cloud.faults.reset();
    }
    await keep(await app.request("/acme-box/logs?cursor=bad", { headers: ACME }));
  });
  assert.equal(seen.length, 2 * 15);
  for (const text of [...seen, printed]) assert.ok(!text.includes(key), text);
});
