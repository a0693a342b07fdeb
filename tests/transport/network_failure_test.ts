import assert from "node:assert/strict";
import { ConnectionError, InvalidConfigError } from "../../mod.ts";
import { authorityOf, networkFailure } from "../../src/transport/_network_failure.ts";

const request = { operation: "GET /v1/sandboxes", url: "https://msb.test" };
const keep = (text: string) => text;

/** What Node's undici rejects with: `TypeError: fetch failed` and a cause carrying a code. */
function undici(code: string, message: string): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });
}

/** What Bun rejects with: an error whose own `code` names the failure. */
function bun(code: string): Error {
  return Object.assign(new Error("Unable to connect. Is the computer able to access the url?"), {
    code,
  });
}

const TO = "cannot connect to msb.test:443";
const ROWS: Array<[string, unknown, string]> = [
  [
    "Node, refused",
    undici("ECONNREFUSED", "connect ECONNREFUSED 10.0.0.1:443"),
    `${TO}: connection refused; check the URL and that the server is running`,
  ],
  [
    "Node, DNS",
    undici("ENOTFOUND", "getaddrinfo ENOTFOUND msb.test"),
    `${TO}: the host name could not be resolved; check the URL`,
  ],
  [
    "Node, reset",
    undici("UND_ERR_SOCKET", "other side closed"),
    "the connection to msb.test:443 was reset before the response was complete; try again",
  ],
  [
    "Node, TLS",
    undici("CERT_HAS_EXPIRED", "certificate has expired"),
    `${TO}: the TLS handshake failed; check that the URL's scheme (http or https) is right and ` +
    "that the server's certificate is valid",
  ],
  [
    "Node, timeout",
    undici("UND_ERR_CONNECT_TIMEOUT", "Connect Timeout Error"),
    `${TO}: the connection timed out; check the network and the URL`,
  ],
  [
    "Node, unreachable",
    undici("EHOSTUNREACH", "connect EHOSTUNREACH 10.0.0.1:443"),
    `${TO}: the network or the host is unreachable; check the network`,
  ],
  [
    "Bun, refused",
    bun("ConnectionRefused"),
    `${TO}: connection refused; check the URL and that the server is running`,
  ],
  [
    "Deno, DNS",
    new TypeError("fetch failed", {
      cause: new Error(
        "error sending request for url (https://msb.test/v1/sandboxes): client error (Connect): " +
          "dns error: failed to lookup address information: Name or service not known",
      ),
    }),
    `${TO}: the host name could not be resolved; check the URL`,
  ],
  [
    "Deno, untrusted certificate",
    new TypeError("fetch failed", {
      cause: new Error(
        "error sending request for url (https://msb.test/): client error (Connect): invalid " +
          "peer certificate: UnknownIssuer",
      ),
    }),
    `${TO}: the TLS handshake failed; check that the URL's scheme (http or https) is right and ` +
    "that the server's certificate is valid",
  ],
  [
    "an unknown failure quotes the runtime",
    new TypeError("fetch failed", { cause: new Error("the moon is in the way") }),
    "cannot reach msb.test:443: the moon is in the way",
  ],
];

for (const [label, cause, words] of ROWS) {
  Deno.test(`networkFailure reads ${label}`, () => {
    const error = networkFailure(request, cause, keep);
    assert.ok(error instanceof ConnectionError);
    assert.equal(error.message, `GET /v1/sandboxes: ${words}`);
    assert.equal(error.cause, cause);
  });
}

Deno.test("networkFailure does not read the URL's words as the cause", () => {
  const cause = new TypeError("fetch failed", {
    cause: new Error(
      "error sending request for url (https://tls.refused.test/): client error (Connect): " +
        "tcp connect error: Connection reset by peer (os error 104)",
    ),
  });
  const error = networkFailure({ ...request, url: "https://tls.refused.test" }, cause, keep);
  assert.equal(
    error.message,
    "GET /v1/sandboxes: the connection to tls.refused.test:443 was reset before the response " +
      "was complete; try again",
  );
});

Deno.test("networkFailure redacts the runtime's words it quotes", () => {
  const cause = new TypeError("fetch failed", { cause: new Error("odd: Bearer msb_k") });
  const error = networkFailure(request, cause, (text) => text.replace("msb_k", "[redacted]"));
  assert.equal(
    error.message,
    "GET /v1/sandboxes: cannot reach msb.test:443: odd: Bearer [redacted]",
  );
});

Deno.test("networkFailure maps a URL the runtime cannot parse to InvalidConfigError", () => {
  const error = networkFailure(request, new TypeError("Invalid URL: 'http://[::1/v1'"), keep);
  assert.ok(error instanceof InvalidConfigError);
  assert.equal(
    error.message,
    "GET /v1/sandboxes: the request cannot be sent: Invalid URL: 'http://[::1/v1'; check the " +
      "url and userAgent options",
  );
});

Deno.test("authorityOf gives host:port, the port defaulted by the scheme", () => {
  assert.equal(authorityOf("https://msb.test"), "msb.test:443");
  assert.equal(authorityOf("http://msb.test/prefix"), "msb.test:80");
  assert.equal(authorityOf("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
  assert.equal(authorityOf("https://user:pw@[::1]:9/"), "[::1]:9");
  assert.equal(authorityOf("https://[::1]"), "[::1]:443");
});
