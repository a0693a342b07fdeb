// Real servers on 127.0.0.1 for the HTTP/1.1 exchange tests, and a Deno.TcpConn wrapped into the
// socket shape `sandbox.connect(port)` returns.
import type { Http1Socket } from "../../src/http1/mod.ts";

/** A socket over a TCP connection to `port`, which records whether it was closed. */
export interface TestSocket extends Http1Socket {
  /** Whether `close()` was called. */
  readonly wasClosed: boolean;
}

/** Connects to `port` on 127.0.0.1 and wraps the connection as a socket. */
export async function connectTo(port: number): Promise<TestSocket> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  let wasClosed = false;
  return {
    readable: conn.readable,
    writable: conn.writable,
    get wasClosed() {
      return wasClosed;
    },
    close() {
      if (!wasClosed) {
        wasClosed = true;
        try {
          conn.close();
        } catch {
          // Already closed by its streams.
        }
      }
      return Promise.resolve();
    },
  };
}

/** One connection to a raw server: the request head it read, and the connection. */
export interface RawExchange {
  /** The request head, up to and with its blank line, as text. */
  head: string;
  /** The connection, to write the answer to and read more from. */
  conn: Deno.TcpConn;
}

/** A server that answers every connection with `answer`, written by hand. */
export interface RawServer extends AsyncDisposable {
  /** Its port on 127.0.0.1. */
  port: number;
  /** The request heads received, in order. */
  heads: string[];
  /** Settles when every connection's handler has. */
  settled(): Promise<void>;
}

/** The bytes of `text`, one byte per character below U+0100 (to write obs-text as is). */
export function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

/**
 * Starts a raw `Deno.listen` server: each connection's request head is read, then `answer` runs
 * (it writes bytes by hand), then the connection is closed.
 */
export function rawServer(answer: (exchange: RawExchange) => Promise<void>): RawServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const heads: string[] = [];
  const handlers: Promise<void>[] = [];
  (async () => {
    for await (const conn of listener) {
      handlers.push(serve(conn, heads, answer));
    }
  })();
  return {
    port: listener.addr.port,
    heads,
    settled: async () => void await Promise.allSettled(handlers),
    async [Symbol.asyncDispose]() {
      listener.close();
      await Promise.allSettled(handlers);
    },
  };
}

async function serve(
  conn: Deno.TcpConn,
  heads: string[],
  answer: (exchange: RawExchange) => Promise<void>,
): Promise<void> {
  try {
    const head = await readHead(conn);
    heads.push(head);
    await answer({ head, conn });
  } catch {
    // The client went away: what the test checks is on its side.
  } finally {
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  }
}

/** Reads up to the blank line that ends a request head. */
async function readHead(conn: Deno.TcpConn): Promise<string> {
  let text = "";
  const buffer = new Uint8Array(1);
  while (!text.endsWith("\r\n\r\n")) {
    const n = await conn.read(buffer);
    if (n === null) throw new Error("closed before the end of the request head");
    text += String.fromCharCode(buffer[0]!);
  }
  return text;
}

/** Writes `text` (byte string) to `conn`, in pieces of `size` bytes. */
export async function writeText(conn: Deno.TcpConn, text: string, size = Infinity): Promise<void> {
  const bytes = bytesOf(text);
  for (let at = 0; at < bytes.length; at += size) {
    await writeAll(conn, bytes.subarray(at, Math.min(bytes.length, at + size)));
  }
}

/** Writes all of `bytes`. */
export async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}

/** Resolves once the peer closed `conn` (a read returns end of file or fails). */
export async function peerClosed(conn: Deno.TcpConn): Promise<void> {
  const buffer = new Uint8Array(1024);
  try {
    while (await conn.read(buffer) !== null) {
      // Discard whatever else the client sends.
    }
  } catch {
    // A reset is a close too.
  }
}

/** A `Deno.serve` server on 127.0.0.1. */
export function httpServer(handler: (request: Request) => Response | Promise<Response>): {
  port: number;
} & AsyncDisposable {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  return {
    port: server.addr.port,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}
