// The API key, in every form an upstream answer can carry it, never reaches a browser, `onError`
// or the console: through every adapter route, over real HTTP, against a local cloud whose
// answers carry the key.
import assert from "node:assert/strict";
import { ACME, type AppSetup, appSetup, json, running } from "./_app.ts";
import { capturingConsole } from "./_console.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** A random 35-character key, as the attack measured. */
const KEY = "msb_" +
  Array.from(crypto.getRandomValues(new Uint8Array(31)), (b) => ALPHABET[b % 62]).join("");

/** Every other character as `\uXXXX`, hex in alternating case. */
function jsonEscaped(text: string): string {
  return Array.from(text, (char, i) => {
    if (i % 2 === 1) return char;
    const hex = char.charCodeAt(0).toString(16).padStart(4, "0");
    return `\\u${i % 4 === 0 ? hex : hex.toUpperCase()}`;
  }).join("");
}

/** Every character but the fourth as `%XX`, hex in alternating case. */
function percentEncoded(text: string): string {
  return Array.from(text, (char, i) => {
    if (i === 3) return char;
    const hex = char.charCodeAt(0).toString(16).padStart(2, "0");
    return `%${i % 2 === 0 ? hex : hex.toUpperCase()}`;
  }).join("");
}

const FORMS: Readonly<Record<string, string>> = {
  raw: KEY,
  "JSON-escaped": jsonEscaped(KEY),
  "percent-encoded": percentEncoded(KEY),
};

/** Whether `text` holds 8 characters of the key in a row, once escapes are decoded. */
function holdsKey(text: string): boolean {
  const decoded = text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/%([0-9a-fA-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  for (let at = 0; at + 8 <= KEY.length; at++) {
    if (decoded.includes(KEY.slice(at, at + 8))) return true;
  }
  return false;
}

/** Everything `onError` can show of an error: inspection, JSON, and each cause's fields. */
function errorText(error: unknown): string {
  const parts = [Deno.inspect(error, { depth: 20 }), JSON.stringify(error) ?? ""];
  for (let each = error; each instanceof Error; each = each.cause) {
    const fields = each as Error & { body?: unknown; code?: unknown };
    parts.push(each.message, String(each.stack), String(fields.body), String(fields.code));
  }
  return parts.join("\n");
}

/** One adapter route, on the sandbox `acme-<route>`. */
interface Route {
  name: string;
  send(app: AppSetup): Promise<Response>;
}

const post = (app: AppSetup, path: string, body: unknown = {}) =>
  fetch(`${app.base}${path}`, json(ACME, body));

const ROUTES: readonly Route[] = [
  { name: "list", send: (app) => fetch(app.base, { headers: ACME }) },
  { name: "get", send: (app) => fetch(`${app.base}/acme-get`, { headers: ACME }) },
  { name: "create", send: (app) => post(app, "", { name: "acme-made", image: "alpine" }) },
  { name: "start", send: (app) => post(app, "/acme-start/start") },
  { name: "stop", send: (app) => post(app, "/acme-stop/stop") },
  {
    name: "delete",
    send: (app) => fetch(`${app.base}/acme-delete`, { method: "DELETE", headers: ACME }),
  },
  { name: "exec", send: (app) => post(app, "/acme-exec/exec", { cmd: "echo", args: ["ok"] }) },
  {
    name: "logs",
    send: (app) => fetch(`${app.base}/acme-logs/logs?sources=stdout`, { headers: ACME }),
  },
];

/** What one route answered and what reached `onError`. */
interface Seen {
  status: number;
  errors: unknown[];
}

/** An app whose `onError` keeps what it is given, with a running sandbox for every route. */
async function keyedApp(): Promise<{ app: AppSetup; errors: unknown[]; texts: string[] }> {
  const errors: unknown[] = [];
  const app = await appSetup({ onError: (error) => errors.push(error) }, { apiKey: KEY });
  for (const route of ROUTES) await running(app.env, `acme-${route.name}`);
  return { app, errors, texts: [] };
}

/**
 * Runs every route once with `arrange` queuing the faults first, and checks that no answer, no
 * `onError` argument and no console line holds the key; returns what each route answered.
 */
async function throughEveryRoute(
  arrange: (app: AppSetup, route: Route) => Promise<void> | void,
): Promise<Record<string, Seen>> {
  const { app, errors, texts } = await keyedApp();
  const seen: Record<string, Seen> = {};
  try {
    const printed = await capturingConsole(async () => {
      for (const route of ROUTES) {
        const before = errors.length;
        await arrange(app, route);
        const response = await route.send(app);
        const streaming = response.headers.get("content-type")?.includes("json") !== true;
        if (streaming) await response.body?.cancel();
        else texts.push(await response.text());
        texts.push(JSON.stringify([...response.headers]));
        app.env.cloud.faults.reset();
        seen[route.name] = { status: response.status, errors: errors.slice(before) };
      }
    });
    texts.push(printed, ...errors.map(errorText));
    for (const text of texts) assert.ok(!holdsKey(text), `the key leaked: ${text.slice(0, 2000)}`);
    return seen;
  } finally {
    await app[Symbol.asyncDispose]();
  }
}

/** Checks that every route answered 502 and told `onError`. */
function assertUpstreamFailures(seen: Record<string, Seen>, what: string): void {
  for (const [route, { status, errors }] of Object.entries(seen)) {
    assert.equal(status, 502, `${what}: ${route}`);
    assert.ok(errors.length > 0, `${what}: ${route} did not reach onError`);
  }
}

for (const [form, text] of Object.entries(FORMS)) {
  Deno.test(`sandboxRoutes keeps a ${form} key of an error body from every route and onError`, async () => {
    const bodies = [
      JSON.stringify({ error: { code: "internal", message: "bad key @KEY@" } }),
      JSON.stringify({ code: "@KEY@", message: "bad key @KEY@." }),
      "plain text: bad key @KEY@",
    ].map((body) => body.replaceAll("@KEY@", text));
    let next = 0;
    const seen = await throughEveryRoute((app) => {
      app.env.cloud.faults.failNext(50, { status: 500, body: bodies[next++ % bodies.length]! });
    });
    assertUpstreamFailures(seen, form);
  });

  Deno.test(`sandboxRoutes keeps a ${form} key straddling the 64 KiB cut from every route and onError`, async () => {
    const head = '{"error":{"code":"internal","message":"';
    // 34 characters of the key's form before the cut, the rest after it.
    const pad = "a".repeat(64 * 1024 - head.length - 34 - 1) + " ";
    const body = `${head}${pad}${text} and more"}}`;
    const seen = await throughEveryRoute((app) => {
      app.env.cloud.faults.failNext(50, { status: 500, body });
    });
    assertUpstreamFailures(seen, form);
  });

  Deno.test(`sandboxRoutes keeps a ${form} key of a non-JSON 200 body from every route and onError`, async () => {
    const seen = await throughEveryRoute((app) => {
      const body = `${text} is not JSON`;
      app.env.cloud.faults.replyNext(50, { status: 200, body, contentType: "text/plain" });
    });
    assertUpstreamFailures(seen, form);
  });

  Deno.test(`sandboxRoutes redacts a ${form} key in lastError, statusReason and labels of a 200`, async () => {
    const seen = await throughEveryRoute(async (app, route) => {
      const name = route.name === "create" ? "acme-create" : `acme-${route.name}`;
      const real = await fetch(`${app.env.cloud.url}/v1/sandboxes/by-name/${name}`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      const status = { start: "failed", stop: "stopped" }[route.name] ?? "running";
      const sandbox = keyed(await real.json(), status, text);
      const body = route.name === "list"
        ? `{"data":[${sandbox}],"has_more":false,"next_cursor":null}`
        : sandbox;
      // exec and logs read the sandbox once, then open its socket or stream on the real cloud.
      const count = route.name === "exec" || route.name === "logs" ? 1 : 50;
      app.env.cloud.faults.replyNext(count, { body });
    });
    assert.deepEqual(
      Object.fromEntries(Object.entries(seen).map(([route, { status }]) => [route, status])),
      {
        list: 200,
        get: 200,
        create: 201,
        start: 502,
        stop: 200,
        delete: 204,
        exec: 200,
        logs: 200,
      },
    );
    assert.ok(seen.start!.errors.length > 0, "a failed start reaches onError with its lastError");
  });
}

/** The cloud's JSON of a sandbox with `status` and the key's form in every free-text field. */
function keyed(sandbox: Record<string, unknown>, status: string, form: string): string {
  const spec = sandbox.spec as Record<string, unknown>;
  const json = JSON.stringify({
    ...sandbox,
    status,
    status_reason: "held by @KEY@",
    last_failure_message: "boot failed: @KEY@",
    spec: { ...spec, labels: { "@KEY@": "@KEY@", note: "see @KEY@ (1)" } },
  });
  return json.replaceAll("@KEY@", form);
}
