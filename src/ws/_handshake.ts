// Copyright 2026 the @microsandbox/edge authors. Apache-2.0 license.
// This module is browser compatible.

import { InvalidConfigError } from "../errors.ts";
import { stringBytes } from "../http1/_byte_string.ts";
import { isFieldText, isToken, listElements } from "../http1/_field_syntax.ts";
import { HeadReader } from "../http1/_head_reader.ts";
import type { Http1ResponseHead } from "../http1/http1_response_head.ts";
import { acceptKey, handshakeKey } from "./_accept_key.ts";
import { wsMalformed } from "./_ws_error.ts";

/** What the opening handshake asks for. */
export interface HandshakeRequest {
  /** The `Host` field, e.g. `localhost:8000`. */
  host: string;
  /** The request target: a path with its query, starting with `/`. */
  path: string;
  /** The subprotocols to offer, in order of preference; none when empty. */
  protocols: readonly string[];
  /** The most bytes the answer's head may take. */
  maxHeadSize: number;
}

/** The connection once the server has switched protocols. */
export interface Handshake {
  /** The subprotocol the server chose, empty when none. */
  protocol: string;
  /** The server's bytes after its head: the start of its frames. */
  frames: ReadableStream<Uint8Array>;
}

/**
 * Runs the client's opening handshake (RFC 6455 §4.1) over a byte connection: writes the GET
 * with `Upgrade`, `Connection`, `Sec-WebSocket-Key` and `Sec-WebSocket-Version: 13`, reads the
 * answer's head within `maxHeadSize`, and requires a 101 with `Upgrade: websocket`, `Connection:
 * upgrade`, the right `Sec-WebSocket-Accept` (SHA-1 by `crypto.subtle`), a subprotocol among
 * those offered and no extension. Anything else is a `ProtocolError`; a bad path or protocol
 * name an `InvalidConfigError`, before anything is sent. The bytes read past the head are the
 * first of `frames`, which then reads `reader` on demand and cancels it when cancelled.
 */
export async function openingHandshake(
  writer: WritableStreamDefaultWriter<Uint8Array>,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  request: HandshakeRequest,
): Promise<Handshake> {
  const key = handshakeKey();
  await writer.write(requestHead(request, key));
  const { head, rest } = await readHead(reader, request.maxHeadSize);
  const protocol = checkAnswer(head, await acceptKey(key), request.protocols);
  return { protocol, frames: framesFrom(rest, reader) };
}

/** Throws an `InvalidConfigError` when the path, a subprotocol or the host would break the GET. */
export function checkHandshakeRequest(request: HandshakeRequest): void {
  if (!/^\/[\x21-\x7e]*$/.test(request.path)) {
    throw new InvalidConfigError(
      `A WebSocket path must start with "/" and hold only visible ASCII, got ${
        JSON.stringify(request.path)
      }`,
    );
  }
  for (const protocol of request.protocols) {
    if (!isToken(protocol)) {
      throw new InvalidConfigError(
        `A WebSocket subprotocol must be a token, got ${JSON.stringify(protocol)}`,
      );
    }
  }
  if (!isFieldText(request.host)) {
    throw new InvalidConfigError("A WebSocket host must be field text");
  }
}

/** The GET that asks to upgrade, as bytes; refuses a path or protocol that would break it. */
function requestHead(request: HandshakeRequest, key: string): Uint8Array {
  checkHandshakeRequest(request);
  const lines = [
    `GET ${request.path} HTTP/1.1`,
    `Host: ${request.host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
  ];
  if (request.protocols.length > 0) {
    lines.push(`Sec-WebSocket-Protocol: ${request.protocols.join(", ")}`);
  }
  return stringBytes(lines.join("\r\n") + "\r\n\r\n");
}

/** Reads the answer's head; `rest` is what followed it in the same chunk. */
async function readHead(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxHeadSize: number,
): Promise<{ head: Http1ResponseHead; rest: Uint8Array }> {
  const heads = new HeadReader(maxHeadSize);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw wsMalformed("the server closed the connection before answering the upgrade");
    const end = heads.read(value, 0);
    if (end !== -1) return { head: heads.take(), rest: value.subarray(end) };
  }
}

/** Checks the 101 answer; returns the chosen subprotocol (empty when none). */
function checkAnswer(head: Http1ResponseHead, accept: string, offered: readonly string[]): string {
  if (head.status !== 101) {
    throw wsMalformed(
      `the server answered ${head.status} ${head.statusText} instead of 101`.trimEnd(),
    );
  }
  const fields = new Map<string, string[]>();
  for (const [name, value] of head.headers) {
    const key = name.toLowerCase();
    fields.set(key, [...(fields.get(key) ?? []), value]);
  }
  const list = (name: string) => (fields.get(name) ?? []).flatMap(listElements);
  if (!list("upgrade").some((token) => token.toLowerCase() === "websocket")) {
    throw wsMalformed("the 101 answer does not upgrade to websocket");
  }
  if (!list("connection").some((token) => token.toLowerCase() === "upgrade")) {
    throw wsMalformed("the 101 answer lacks Connection: upgrade");
  }
  const accepts = fields.get("sec-websocket-accept") ?? [];
  if (accepts.length !== 1 || accepts[0] !== accept) {
    throw wsMalformed("the 101 answer has a wrong Sec-WebSocket-Accept");
  }
  if (list("sec-websocket-extensions").length > 0) {
    throw wsMalformed("the server chose an extension, but none was offered");
  }
  const chosen = list("sec-websocket-protocol");
  if (chosen.length === 0) return "";
  if (chosen.length > 1 || !offered.includes(chosen[0]!)) {
    throw wsMalformed(
      `the server chose the subprotocol ${
        JSON.stringify(chosen.join(", "))
      }, which was not offered`,
    );
  }
  return chosen[0]!;
}

/** `rest`, then what `reader` gives, read only when asked for. */
function framesFrom(
  rest: Uint8Array,
  reader: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (rest.length > 0) controller.enqueue(rest);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}
