import assert from "node:assert/strict";
import { InvalidConfigError, Microsandbox, VERSION } from "../../mod.ts";
import { resolveOptions } from "../../src/config/client_options.ts";

Deno.test("Microsandbox trims the URL and strips every trailing slash", () => {
  assert.equal(
    new Microsandbox({ apiKey: "k", url: "  https://h.test/api///  " }).url,
    "https://h.test/api",
  );
});

Deno.test("Microsandbox defaults to api.microsandbox.dev and the current wire", () => {
  const msb = new Microsandbox({ apiKey: "k" });
  assert.equal(msb.url, "https://api.microsandbox.dev");
  assert.equal(msb.wire, "current");
});

Deno.test("Microsandbox trims the API key", () => {
  assert.equal(resolveOptions({ apiKey: "  msb_test_1 \n" }).apiKey, "msb_test_1");
});

Deno.test("Microsandbox refuses bad options with the SDK's wording", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{}, "CloudBackend requires an API key (pass apiKey)"],
    [{ apiKey: "  " }, "CloudBackend API key must not be empty"],
    [{ apiKey: "k", url: " / " }, "cloud backend URL must start with http:// or https://: "],
    [{ apiKey: "k", url: "   " }, "CloudBackend URL must not be empty"],
    [
      { apiKey: "k", url: "ftp://h" },
      "cloud backend URL must start with http:// or https://: ftp://h",
    ],
    [{ apiKey: "k", wire: "v0.6" }, 'wire must be "v0.5" or "current", got "v0.6"'],
    [{ apiKey: "k", timeout: 0 }, "timeout must be a positive number up to 2147483647, got 0"],
    [
      { apiKey: "k", timeout: 2 ** 31 }, // a timer would fire at once
      "timeout must be a positive number up to 2147483647, got 2147483648",
    ],
    [
      { apiKey: "k", connectTimeout: Infinity },
      "connectTimeout must be a positive number up to 2147483647, got Infinity",
    ],
    [{ apiKey: "k", retry: { attempts: -1 } }, "retry.attempts must be a positive number, got -1"],
    [{ apiKey: "k", retry: { maxDelay: -5 } }, "retry.maxDelay must be 0 or more"],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => new Microsandbox(options as never),
      (error: unknown) => error instanceof InvalidConfigError && error.message === message,
      JSON.stringify(options),
    );
  }
});

Deno.test("Microsandbox refuses a key that cannot go in a header without echoing it", () => {
  assert.throws(
    () => new Microsandbox({ apiKey: "msb_secret\nInjected: 1" }),
    (error: unknown) =>
      error instanceof InvalidConfigError && !error.message.includes("msb_secret") &&
      error.kind === "InvalidConfig",
  );
});

Deno.test("resolveOptions names this package, its version and the runtime in the User-Agent", () => {
  const userAgent = resolveOptions({ apiKey: "k" }).userAgent;
  assert.equal(userAgent, `microsandbox-edge/${VERSION} (${navigator.userAgent})`);
  assert.match(userAgent, /Deno\/\d/);
  assert.equal(resolveOptions({ apiKey: "k", userAgent: "mine/1" }).userAgent, "mine/1");
});

Deno.test("resolveOptions turns retry: false into a single attempt", () => {
  assert.equal(resolveOptions({ apiKey: "k", retry: false }).retry.attempts, 1);
  assert.equal(resolveOptions({ apiKey: "k", retry: { attempts: 7 } }).retry.attempts, 7);
});

Deno.test("VERSION matches deno.json", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assert.equal(VERSION, config.version);
});
