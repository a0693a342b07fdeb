// A raw TCP server on 127.0.0.1 that plays a WebSocket server by hand: it reads the client's
// upgrade request, answers with whatever head the test writes (by default a correct 101), sends
// hand-made frames, and records the client's frames, so tests can break any rule on purpose.
import { createHash } from "node:crypto";
import type { ByteSocket } from "../../src/ws/_ws_session.ts";
import { concat, readClientFrame } from "./_frames.ts";

/** One frame the client sent, unmasked. */
export interface ClientFrame {
  fin: boolean;
  opcode: number;
  masked: boolean;
  payload: Uint8Array;
}

/** What the server saw of one connection. */
export interface RawExchange {
  /** The request head, as text. */
  request: string;
  /** The client's frames, until it closed the connection. */
  frames: ClientFrame[];
}

/** The Sec-WebSocket-Accept for `key`, computed with node:crypto (not the code under test). */
export function acceptFor(key: string): string {
  return createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
}

/** A correct 101 for the request, with `extra` header lines. */
export function switching(request: string, extra: string[] = []): string {
  const key = /sec-websocket-key: *(\S+)/i.exec(request)?.[1] ?? "";
  return [
    "HTTP/1.1 101 Switching Protocols",
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Accept: ${acceptFor(key)}`,
    ...extra,
    "",
    "",
  ].join("\r\n");
}

/**
 * Serves one connection: `answer(request)` gives the head and the first bytes to send;
 * `onFrame` may send more (e.g. a pong test's close) as the client's frames come. With
 * `hangUp`, the server closes the connection right after its answer.
 */
export function rawServer(
  answer: (request: string) => Uint8Array | string,
  onFrame: (frame: ClientFrame, conn: Deno.Conn) => Promise<void> | void = () => {},
  hangUp = false,
): { port: number; exchange: Promise<RawExchange>; [Symbol.asyncDispose](): Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const exchange = (async () => {
    const conn = await listener.accept();
    let buffered: Uint8Array = new Uint8Array();
    let request = "";
    const frames: ClientFrame[] = [];
    try {
      for await (const chunk of conn.readable) {
        buffered = concat([buffered, chunk]);
        if (request === "") {
          const end = new TextDecoder().decode(buffered).indexOf("\r\n\r\n");
          if (end === -1) continue;
          request = new TextDecoder().decode(buffered.subarray(0, end + 4));
          buffered = buffered.slice(end + 4);
          const reply = answer(request);
          await write(conn, typeof reply === "string" ? new TextEncoder().encode(reply) : reply);
          if (hangUp) break;
        }
        for (let frame = readClientFrame(buffered); frame; frame = readClientFrame(buffered)) {
          buffered = buffered.slice(frame.size);
          frames.push(frame);
          await onFrame(frame, conn);
        }
      }
    } catch {
      // The client closed the connection: what it sent is recorded.
    }
    try {
      conn.close();
    } catch {
      // Already closed.
    }
    return { request, frames };
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    exchange,
    async [Symbol.asyncDispose]() {
      listener.close();
      await exchange;
    },
  };
}

/** Writes all of `bytes` to the connection. */
export async function write(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

/** A Deno TCP connection to 127.0.0.1:`port`, as the byte socket the client runs over. */
export async function tcpSocket(port: number): Promise<ByteSocket> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  return {
    readable: conn.readable,
    writable: conn.writable,
    close: () => {
      try {
        conn.close();
      } catch {
        // Already closed by its streams.
      }
      return Promise.resolve();
    },
  };
}

/**
 * `socket` with its writes after the first (the upgrade request) held until `release()`, as on a
 * slow connection: the session's frames then wait for the socket.
 */
export function heldWrites(socket: ByteSocket): { socket: ByteSocket; release(): void } {
  const gate = Promise.withResolvers<void>();
  const writer = socket.writable.getWriter();
  let writes = 0;
  const writable = new WritableStream<Uint8Array>({
    async write(chunk) {
      if (writes++ > 0) await gate.promise;
      await writer.write(chunk);
    },
  });
  return {
    socket: { readable: socket.readable, writable, close: () => socket.close() },
    release: () => gate.resolve(),
  };
}
