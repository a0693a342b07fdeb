// The example page in a real headless Chromium, served by the example app (examples/_app.ts) on
// Deno.serve, in front of a local cloud: its EventSource follows a sandbox's log through the Hono
// adapter across a cut connection, it runs a command through the exec route, and its preview panel
// shows a page that a server in the sandbox serves, in an iframe, through the preview route.
import assert from "node:assert/strict";
import { Microsandbox } from "../../mod.ts";
import { type LocalCloud, startLocalCloud } from "../../src/testing/mod.ts";
import { demoApp } from "../../examples/_app.ts";
import { type Browser, ensureChromium, launchChromium } from "./_chromium.ts";

const TOKEN = "browser-test-token";
const SANDBOX = "demo-browser";
/** Each step may take this long; the EventSource waits about 3 s before it reconnects. */
const STEP_MS = 30_000;

/** The entries the test writes: unique, in order, some with multi-byte text. */
const TEXTS = Array.from({ length: 12 }, (_, i) => `entry ${i + 1} ${"é✓".repeat(i % 3)}\n`);

/** The log entries the page shows: their text and their SSE id. */
const SHOWN = `[...document.querySelectorAll("#logs li")]
  .map((item) => ({ text: item.textContent, id: item.dataset.id }))`;

interface Shown {
  text: string;
  id: string;
}

/** Polls `expression` in the page until `done` accepts its value, for at most STEP_MS. */
async function waitFor<T>(
  browser: Browser,
  what: string,
  expression: string,
  done: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + STEP_MS;
  let value = await browser.evaluate(expression) as T;
  while (!done(value)) {
    if (Date.now() > deadline) {
      throw new Error(
        `The page did not show ${what} in ${STEP_MS} ms; it shows ${JSON.stringify(value)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await browser.evaluate(expression) as T;
  }
  return value;
}

/** Rejects with `message` unless `promise` settles within `ms`. */
async function within(promise: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** An expression for the text of the element `selector`. */
function text(selector: string): string {
  return `document.querySelector(${JSON.stringify(selector)}).textContent`;
}

function stdout(text: string) {
  return { source: "stdout" as const, text };
}

/** The log requests that reached the cloud, with the cursor each resumed from. */
function cloudLogRequests(cloud: LocalCloud): (string | undefined)[] {
  return cloud.requests
    .filter((request) => new URL(request.url, cloud.url).pathname.endsWith("/logs"))
    .map((request) => request.headers["last-event-id"]);
}

/**
 * Passes an SSE body on, event by event, until `events` events with an id have gone through, then
 * fails it, as a dropped connection would. `lastId()` is the id of the last of them.
 */
function cutAfter(events: number): {
  stream: TransformStream<Uint8Array, Uint8Array>;
  lastId(): string | undefined;
} {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  let seen = 0;
  let lastId: string | undefined;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      for (let end = pending.indexOf("\n\n"); end >= 0; end = pending.indexOf("\n\n")) {
        const block = pending.slice(0, end + 2);
        pending = pending.slice(end + 2);
        controller.enqueue(encoder.encode(block));
        const id = block.match(/^id: ?(.*)$/m);
        if (id) [seen, lastId] = [seen + 1, id[1]];
        if (seen === events) {
          return controller.error("the test cut the browser's log stream on purpose");
        }
      }
    },
  });
  return { stream, lastId: () => lastId };
}

Deno.test("the example page follows a log through the Hono adapter across cut connections, once and in order, and runs a command", async () => {
  const chromium = await ensureChromium();
  await using cloud = await startLocalCloud({ bootDelayMs: 0 });
  const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
  await msb.sandboxes.create({ name: SANDBOX, image: "alpine" });
  const app = demoApp({
    settings: { token: TOKEN, tenant: "demo", port: 0 },
    client: msb,
    readPage: (file) =>
      Deno.readTextFile(new URL(`../../examples/public/${file}`, import.meta.url)),
  });
  // The browser's first log stream is cut after nine entries, between the browser and the app.
  const browserCut = cutAfter(9);
  /** The `Last-Event-ID` of each log request the browser made to the app. */
  const browserLogRequests: (string | null)[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    if (new URL(request.url).pathname !== `/api/sandboxes/${SANDBOX}/logs`) {
      return app.fetch(request);
    }
    browserLogRequests.push(request.headers.get("last-event-id"));
    const response = await app.fetch(request);
    if (browserLogRequests.length > 1 || !response.body) return response;
    return new Response(response.body.pipeThrough(browserCut.stream), response);
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;

  // Four entries are history when the page opens. The cloud cuts the app's first log stream
  // after six entries (the adapter resumes it upstream); the app cuts the browser's after nine
  // (its EventSource resumes through the adapter).
  cloud.appendLog(SANDBOX, TEXTS.slice(0, 4).map(stdout));
  cloud.faults.logFault("cutAfter", { events: 6, requests: 1 });
  const browser = await launchChromium(
    chromium,
    `${origin}/?${new URLSearchParams({ token: TOKEN, sandbox: SANDBOX })}`,
  );
  try {
    await waitFor<Shown[]>(browser, "the history", SHOWN, (shown) => shown.length >= 4);
    cloud.appendLog(SANDBOX, TEXTS.slice(4, 10).map(stdout));
    await waitFor<Shown[]>(browser, "ten entries", SHOWN, (shown) => shown.length >= 10);
    await waitFor<string>(browser, "a reconnection", text("#status"), (t) => /reconnected/.test(t));
    cloud.appendLog(SANDBOX, TEXTS.slice(10).map(stdout));
    const shown = await waitFor<Shown[]>(browser, "twelve entries", SHOWN, (s) => s.length >= 12);

    assert.deepEqual(shown.map((entry) => entry.text), TEXTS, "every entry once, in order");
    const ids = shown.map((entry) => entry.id);
    assert.equal(new Set(ids).size, ids.length, "each entry has its own id");
    const browserCutAt = browserCut.lastId();
    assert.equal(browserCutAt, ids[8], "the app cut the browser's stream after the ninth entry");
    assert.deepEqual(
      browserLogRequests,
      [null, browserCutAt],
      "the browser's EventSource reconnected once, with the ninth entry's id as Last-Event-ID",
    );
    assert.deepEqual(
      cloudLogRequests(cloud),
      [undefined, ids[5], browserCutAt],
      "upstream: the first stream, its resumption after the cloud's cut, the browser's resumption",
    );
    assert.equal(await browser.evaluate(text("#status")), "following (reconnected 1×)");
    // A command through the exec route (NDJSON); its output also reaches the followed log.
    await browser.evaluate(`{
      const form = document.forms.namedItem("exec");
      form.command.value = "echo exec-ok; echo exec-oops >&2; exit 3";
      form.requestSubmit();
    }`);
    const exit = await waitFor<string>(
      browser,
      "an exit",
      text("#exit"),
      (t) => /^(exit|failed)/.test(t),
    );
    assert.equal(exit, "exit 3");
    const output = await browser.evaluate(`[...document.querySelectorAll("#output span")]
      .map((span) => span.className + ":" + span.textContent).sort()`);
    assert.deepEqual(output, ["stderr:exec-oops\n", "stdout:exec-ok\n"]);
    const all = await waitFor<Shown[]>(
      browser,
      "the command's output",
      SHOWN,
      (s) => s.length >= 14,
    );
    assert.deepEqual(
      all.slice(12).map((entry) => entry.text).sort(),
      ["exec-ok\n", "exec-oops\n"],
    );
  } finally {
    await browser.close();
    // Closing the browser must end its log stream, and so the server's last request.
    await within(
      server.shutdown(),
      5_000,
      "The app still served a request 5 s after the browser closed",
    );
  }
});

Deno.test("the example page's preview panel serves a page in the sandbox and shows it in an iframe through the preview route", async () => {
  const chromium = await ensureChromium();
  await using cloud = await startLocalCloud({ bootDelayMs: 0 });
  const msb = new Microsandbox({ apiKey: cloud.apiKey, url: cloud.url });
  const name = "demo-preview";
  await msb.sandboxes.create({ name, image: "python" });
  const app = demoApp({
    settings: { token: TOKEN, tenant: "demo", port: 0 },
    client: msb,
    readPage: (file) =>
      Deno.readTextFile(new URL(`../../examples/public/${file}`, import.meta.url)),
  });
  /** What the iframe's requests to the preview route got: status and body. */
  const framed: Promise<[number, string]>[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const response = await app.fetch(request);
    if (request.headers.get("sec-fetch-dest") !== "iframe") return response;
    framed.push(response.clone().text().then((body) => [response.status, body]));
    return response;
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  const browser = await launchChromium(
    chromium,
    `${origin}/?${new URLSearchParams({ token: TOKEN, sandbox: name })}`,
  );
  try {
    const form = `document.forms.namedItem("preview")`;
    await waitFor<boolean>(
      browser,
      "the panel",
      `!!${form} && document.readyState === "complete"`,
      Boolean,
    );
    await browser.evaluate(`${form}.requestSubmit()`);
    const shown = await waitFor<string>(
      browser,
      "the preview",
      text("#preview-status"),
      (t) => /^(showing|failed|server)/.test(t),
    );
    assert.equal(shown, `showing /api/sandboxes/${name}/ports/8080/`);
    assert.equal(framed.length, 1, "the iframe loaded the preview route once");
    const [status, body] = await framed[0]!;
    assert.equal(status, 200);
    assert.match(body, /<h1>Hello from the sandbox<\/h1>/);
    const deadline = Date.now() + STEP_MS;
    while (cloud.openTcpTunnels().length > 0) {
      assert.ok(Date.now() < deadline, "each preview request's tunnel closes");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await browser.evaluate(`${form}.stop.click()`);
  } finally {
    await browser.close();
    await within(
      server.shutdown(),
      5_000,
      "The app still served a request 5 s after the browser closed",
    );
  }
});
