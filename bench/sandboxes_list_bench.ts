// What the client adds over a bare `fetch` for a unary call: listing a page of 20 sandboxes from a
// local cloud on loopback, decoded into handles, against the same request made with `fetch` and
// `JSON.parse` alone. Run with `deno task bench`.
import { Microsandbox } from "../mod.ts";
import { startLocalCloud } from "../src/testing/mod.ts";

const cloud = await startLocalCloud({ generation: "current" });
const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
for (let i = 0; i < 20; i++) {
  await msb.sandboxes.create({ name: `bench-${i}`, image: "alpine", labels: { i: String(i) } }, {
    start: false,
  });
}
const headers = { authorization: `Bearer ${cloud.apiKey}` };
globalThis.addEventListener("unload", () => cloud.close());

Deno.bench({
  name: "fetch + JSON.parse (baseline)",
  group: "list 20 sandboxes",
  baseline: true,
  async fn() {
    const response = await fetch(`${cloud.url}/v1/sandboxes?limit=20`, { headers });
    const page = await response.json();
    if (page.data.length !== 20) throw new Error("short page");
  },
});

Deno.bench({
  name: "msb.sandboxes.list()",
  group: "list 20 sandboxes",
  async fn() {
    const page = await msb.sandboxes.list({ limit: 20 });
    if (page.sandboxes.length !== 20) throw new Error("short page");
  },
});
