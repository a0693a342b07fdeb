// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

// What a runtime's `fetch` rejection means, in plain words. Runtimes say it differently: Deno
// rejects with `TypeError: fetch failed` whose `cause` reads `... client error (Connect): tcp
// connect error: Connection refused (os error 111)`, Node's undici with a `cause` carrying `code`
// (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`, `CERT_HAS_EXPIRED`), Bun with a `code` such as
// `ConnectionRefused` on the error itself. The whole chain of causes is read, URLs left out (a
// host name may hold any word).

import { ConnectionError, InvalidConfigError, type MicrosandboxError } from "../errors.ts";

/** What the request was, for the message. */
export interface FailedRequest {
  /** Such as `GET /v1/sandboxes`. */
  operation: string;
  /** The client's base URL. */
  url: string;
}

interface Reading {
  /** Matches the text of the cause chain. */
  pattern: RegExp;
  /** What the message says after the operation; `@` stands for `host:port`. */
  words: string;
}

/** Checked in order: the first that matches names the cause. */
const READINGS: readonly Reading[] = [
  {
    pattern: /ENOTFOUND|EAI_AGAIN|dns error|getaddrinfo|failed to lookup address|DNSException/i,
    words: "cannot connect to @: the host name could not be resolved; check the URL",
  },
  {
    pattern: /ECONNREFUSED|connection refused|ConnectionRefused/i,
    words: "cannot connect to @: connection refused; check the URL and that the server is running",
  },
  {
    pattern: /EHOSTUNREACH|ENETUNREACH|no route to host|network is unreachable/i,
    words: "cannot connect to @: the network or the host is unreachable; check the network",
  },
  {
    pattern: /ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|timed out|ConnectionTimeout/i,
    words: "cannot connect to @: the connection timed out; check the network and the URL",
  },
  {
    pattern: new RegExp(
      [
        "ECONNRESET|EPIPE|connection reset|reset by peer|UND_ERR_SOCKET|other side closed",
        "socket hang up|connection closed before message completed|ConnectionClosed",
        "error reading a body",
      ].join("|"),
      "i",
    ),
    words: "the connection to @ was reset before the response was complete; try again",
  },
  {
    pattern: /certificate|\bCERT_|\bERR_SSL|\bTLS\b|\bSSL\b|corrupt message|handshake failure/i,
    words: "cannot connect to @: the TLS handshake failed; check that the URL's scheme " +
      "(http or https) is right and that the server's certificate is valid",
  },
];

/** A request the runtime refused to send: a bad URL or header value, not a network failure. */
const INVALID_REQUEST = /invalid header|invalid url|failed to parse url/i;

/**
 * Maps a `fetch` rejection to our error: `InvalidConfigError` when the request itself cannot be
 * sent, `ConnectionError` otherwise, naming the host and port and the cause in plain words, with
 * the runtime's error as `cause`. `redact` is applied to every runtime text the message quotes.
 */
export function networkFailure(
  request: FailedRequest,
  cause: unknown,
  redact: (text: string) => string,
): MicrosandboxError {
  const { operation } = request;
  const text = chainText(cause);
  const options = { cause, operation };
  if (INVALID_REQUEST.test(cause instanceof Error ? cause.message : "")) {
    return new InvalidConfigError(
      `${operation}: the request cannot be sent: ${redact(innermost(cause))}; check the url ` +
        "and userAgent options",
      options,
    );
  }
  const authority = authorityOf(request.url);
  const reading = READINGS.find((each) => each.pattern.test(text));
  const words = reading
    ? reading.words.replace("@", authority)
    : `cannot reach ${authority}: ${redact(innermost(cause))}`;
  return new ConnectionError(`${operation}: ${words}`, options);
}

/** `host:port` of an `http(s)` URL, the port defaulted by the scheme; read without `new URL`. */
export function authorityOf(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url);
  if (!match) return url;
  const [, scheme, host] = match as unknown as [string, string, string];
  if (/:\d+$/.test(host)) return host;
  return `${host}:${/^(https|wss)$/i.test(scheme) ? 443 : 80}`;
}

/** The messages, codes and names along the cause chain, URLs removed. */
function chainText(error: unknown): string {
  const parts: string[] = [];
  for (const each of causes(error)) {
    const { message, code, name } = each as { message?: unknown; code?: unknown; name?: unknown };
    for (const part of [message, code, name]) if (typeof part === "string") parts.push(part);
  }
  return parts.join(" | ").replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)'"]*/gi, "<url>");
}

/** The deepest message of the chain: the runtime's own words. */
function innermost(error: unknown): string {
  const chain = causes(error);
  const last = chain.at(-1);
  return last instanceof Error ? last.message : String(last);
}

function causes(error: unknown): unknown[] {
  const chain = [error];
  let each = error;
  while (chain.length < 8 && typeof each === "object" && each !== null && "cause" in each) {
    each = (each as { cause: unknown }).cause;
    if (each === undefined || chain.includes(each)) break;
    chain.push(each);
  }
  return chain;
}
