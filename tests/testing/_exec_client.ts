// A minimal exec client for the local cloud's WebSocket routes, written on the standard
// WebSocket (with Deno's `headers` option) and the project's frame codec, plus a raw TCP
// WebSocket client that reads only when asked (for backpressure tests).
import assert from "node:assert/strict";
import {
  type DecodedMessage,
  decodeMessage,
  encodeFrame,
  encodeMessage,
  type ExecRequest,
  type Frame,
  FrameDecoder,
  type MessageType,
  type PayloadMap,
} from "../../src/protocol/mod.ts";
import type { LocalCloud } from "../../src/testing/mod.ts";
import { call, createBody } from "./_client.ts";
import { concatBytes as concat } from "../../src/_concat.ts";

/** A known message, as the tests read them. */
export type Known = Exclude<DecodedMessage, { unknown: true }>;

/**
 * Creates a running sandbox and returns its id.
 *
 * @param cloud The cloud (its boot delay should be 0).
 * @param name The sandbox name.
 * @returns The sandbox id.
 */
export async function runningSandbox(cloud: LocalCloud, name: string): Promise<string> {
  const reply = await call(cloud, "POST", "/v1/sandboxes?start=true", {
    body: createBody(cloud.generation, name),
  });
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.json.status, "running");
  return reply.json.id;
}

/**
 * An exec request with the SDK's defaults (cwd `/`, 24×80).
 *
 * @param cmd The program.
 * @param args Its arguments.
 * @param extra Fields to override.
 * @returns The request.
 */
export function execRequest(
  cmd: string,
  args: string[] = [],
  extra: Partial<ExecRequest> = {},
): ExecRequest {
  return {
    cmd,
    args,
    env: [],
    cwd: "/",
    user: null,
    tty: false,
    rows: 24,
    cols: 80,
    rlimits: [],
    ...extra,
  };
}

/** Options of {@linkcode ExecClient.connect}. */
export interface ConnectOptions {
  /** Which route: the cloud's generation's by default. */
  route?: "agent" | "exec.cbor";
  /** The subprotocols to offer: `msb.cbor` on `exec.cbor` by default, none on `agent`. */
  protocols?: string[];
  /** Bytes before the first frame: 8 on `agent`, 0 on `exec.cbor` by default. */
  prelude?: number;
}

/** The outcome of one exec session. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  stdoutBytes: Uint8Array;
  /** `core.exec.exited`'s code, or `undefined`. */
  code?: number;
  /** `core.exec.failed`'s payload, or `undefined`. */
  failed?: PayloadMap["core.exec.failed"];
  /** Every message of the session, in order. */
  messages: Known[];
}

/** One exec WebSocket, framed. */
export class ExecClient {
  /** The bytes before the first frame (the relay handshake's id range). */
  readonly prelude: number[] = [];
  /** The size of every binary WebSocket message received. */
  readonly messageSizes: number[] = [];
  /** Every binary WebSocket message received. */
  readonly rawMessages: Uint8Array[] = [];
  /** The close event, once the socket closed. */
  readonly closed: Promise<CloseEvent>;
  /** The protocol error the decoder raised, if any. */
  decodeError: Error | undefined;
  readonly socket: WebSocket;
  readonly #preludeSize: number;
  readonly #decoder: FrameDecoder;
  readonly #queues = new Map<number, Known[]>();
  readonly #waiters = new Map<number, () => void>();
  #isClosed = false;
  readonly #version: number;

  private constructor(socket: WebSocket, preludeSize: number, version: number) {
    this.socket = socket;
    this.#preludeSize = preludeSize;
    this.#version = version;
    this.#decoder = new FrameDecoder((frame) => this.#frame(frame));
    this.closed = new Promise((resolve) => {
      socket.addEventListener("close", (event) => {
        this.#isClosed = true;
        try {
          if (!this.decodeError) this.#decoder.end();
        } catch (error) {
          this.decodeError = error as Error;
        }
        for (const wake of [...this.#waiters.values()]) wake();
        resolve(event);
      });
    });
    socket.addEventListener("message", (event) => {
      if (!(event.data instanceof ArrayBuffer)) return;
      let bytes = new Uint8Array(event.data);
      this.messageSizes.push(bytes.length);
      this.rawMessages.push(bytes);
      while (this.prelude.length < this.#preludeSize && bytes.length > 0) {
        this.prelude.push(bytes[0]!);
        bytes = bytes.subarray(1);
      }
      if (bytes.length === 0) return;
      try {
        this.#decoder.feed(bytes);
      } catch (error) {
        this.decodeError = error as Error;
        socket.close();
      }
    });
  }

  /**
   * Opens an exec socket on a sandbox.
   *
   * @param cloud The cloud.
   * @param sandbox The sandbox id.
   * @param options Route, subprotocols and prelude size.
   * @returns The open client.
   */
  static async connect(
    cloud: LocalCloud,
    sandbox: string,
    options: ConnectOptions = {},
  ): Promise<ExecClient> {
    const route = options.route ?? (cloud.generation === "v0.5" ? "exec.cbor" : "agent");
    const protocols = options.protocols ?? (route === "exec.cbor" ? ["msb.cbor"] : []);
    const url = `${cloud.url.replace(/^http/, "ws")}/v1/sandboxes/${sandbox}/${route}`;
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${cloud.apiKey}` },
      protocols,
    });
    socket.binaryType = "arraybuffer";
    const client = new ExecClient(
      socket,
      options.prelude ?? (route === "agent" ? 8 : 0),
      route === "agent" ? 7 : 5,
    );
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = (event) =>
        reject(new Error(`cannot connect: ${(event as ErrorEvent).message}`));
    });
    return client;
  }

  /**
   * Sends one message as one binary WebSocket message.
   *
   * @param id The session id.
   * @param type The type.
   * @param payload The payload.
   * @param flags Flags to send instead of the type's.
   */
  send<T extends MessageType>(id: number, type: T, payload: PayloadMap[T], flags?: number): void {
    const frame = encodeMessage(id, type, payload, this.#version);
    this.socket.send(encodeFrame(flags === undefined ? frame : { ...frame, flags }));
  }

  /**
   * Sends raw bytes as one binary message.
   *
   * @param bytes The bytes.
   */
  sendRaw(bytes: Uint8Array): void {
    this.socket.send(bytes);
  }

  /**
   * Waits for the next message on a session id.
   *
   * @param id The session id.
   * @param timeoutMs How long to wait.
   * @returns The message, or `undefined` when the socket closed first.
   */
  async next(id: number, timeoutMs = 10_000): Promise<Known | undefined> {
    const deadline = performance.now() + timeoutMs;
    while (true) {
      const queue = this.#queues.get(id);
      if (queue && queue.length > 0) return queue.shift();
      if (this.#isClosed) return undefined;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no message on session ${id} within ${timeoutMs} ms`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.set(id, resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
      this.#waiters.delete(id);
    }
  }

  /**
   * Runs one command to its end on a session id: sends the request (and stdin, then EOF, when
   * given), collects everything until the terminal frame.
   *
   * @param id The session id.
   * @param request The request.
   * @param stdin Bytes for stdin; nothing is sent when absent.
   * @returns The outcome.
   */
  async run(id: number, request: ExecRequest, stdin?: Uint8Array): Promise<ExecResult> {
    this.send(id, "core.exec.request", request);
    if (stdin !== undefined) {
      this.send(id, "core.exec.stdin", { data: stdin });
      this.send(id, "core.exec.stdin", { data: new Uint8Array() });
    }
    return await this.collect(id);
  }

  /**
   * Collects a session's messages until its terminal frame or the socket's close.
   *
   * @param id The session id.
   * @returns The outcome.
   */
  async collect(id: number): Promise<ExecResult> {
    const messages: Known[] = [];
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    const result: ExecResult = {
      stdout: "",
      stderr: "",
      stdoutBytes: new Uint8Array(),
      messages,
    };
    while (true) {
      const message = await this.next(id);
      if (!message) break;
      messages.push(message);
      if (message.type === "core.exec.stdout") out.push(message.payload.data.slice());
      if (message.type === "core.exec.stderr") err.push(message.payload.data.slice());
      if (message.type === "core.exec.exited") {
        result.code = message.payload.code;
        break;
      }
      if (message.type === "core.exec.failed") {
        result.failed = message.payload;
        break;
      }
      if (message.type === "core.error") break;
    }
    result.stdoutBytes = concat(out);
    result.stdout = new TextDecoder().decode(result.stdoutBytes);
    result.stderr = new TextDecoder().decode(concat(err));
    return result;
  }

  /**
   * Closes the socket and waits for the close.
   *
   * @returns The close event.
   */
  async close(): Promise<CloseEvent> {
    if (!this.#isClosed) this.socket.close();
    return await this.closed;
  }

  #frame(frame: Frame): void {
    const message = decodeMessage({ ...frame, body: frame.body.slice() });
    assert.ok(!message.unknown, `unknown message type ${message.type}`);
    const queue = this.#queues.get(frame.id) ?? [];
    this.#queues.set(frame.id, queue);
    queue.push(message);
    this.#waiters.get(frame.id)?.();
  }
}

/**
 * A WebSocket client on a raw TCP connection that reads only when asked, so the server's
 * kernel buffers fill up and its sends see real backpressure.
 */
export class SlowWebSocket {
  readonly #conn: Deno.TcpConn;
  #buffer = new Uint8Array(0);
  /** Payload bytes of the binary messages read so far. */
  received = 0;

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  /**
   * Connects and upgrades.
   *
   * @param cloud The cloud.
   * @param path The route path, e.g. `/v1/sandboxes/ID/agent`.
   * @param protocol A subprotocol to offer.
   * @returns The client, past the 101 response.
   */
  static async connect(cloud: LocalCloud, path: string, protocol?: string): Promise<SlowWebSocket> {
    const url = new URL(cloud.url);
    const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
    await writeAll(conn, upgradeRequest(cloud, path, { protocol }));
    const client = new SlowWebSocket(conn);
    while (true) {
      const text = new TextDecoder().decode(client.#buffer);
      const end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        assert.match(text, /^HTTP\/1\.1 101/);
        client.#buffer = client.#buffer.subarray(end + 4);
        return client;
      }
      await client.#fill();
    }
  }

  /**
   * Reads the next binary message (answering nothing else).
   *
   * @returns Its payload, or `undefined` at a close frame or the end of the connection.
   */
  async readMessage(): Promise<Uint8Array | undefined> {
    while (true) {
      const frame = this.#parse();
      if (frame) {
        if (frame.opcode === 8) return undefined;
        if (frame.opcode === 2 || frame.opcode === 0) {
          this.received += frame.payload.length;
          return frame.payload;
        }
        continue;
      }
      if (!await this.#fill()) return undefined;
    }
  }

  /**
   * Sends one masked binary message.
   *
   * @param payload The bytes.
   */
  async send(payload: Uint8Array): Promise<void> {
    const head = payload.length < 126
      ? [0x82, 0x80 | payload.length]
      : [0x82, 0x80 | 126, payload.length >> 8, payload.length & 0xff];
    assert.ok(payload.length < 65536);
    const mask = crypto.getRandomValues(new Uint8Array(4));
    const masked = payload.map((byte, i) => byte ^ mask[i % 4]!);
    await writeAll(this.#conn, new Uint8Array([...head, ...mask, ...masked]));
  }

  /** Closes the TCP connection. */
  close(): void {
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
  }

  #parse(): { opcode: number; payload: Uint8Array } | undefined {
    const b = this.#buffer;
    if (b.length < 2) return undefined;
    let length = b[1]! & 0x7f;
    let at = 2;
    if (length === 126) {
      if (b.length < 4) return undefined;
      length = (b[2]! << 8) | b[3]!;
      at = 4;
    } else if (length === 127) {
      if (b.length < 10) return undefined;
      length = Number(new DataView(b.buffer, b.byteOffset + 2, 8).getBigUint64(0));
      at = 10;
    }
    if (b.length < at + length) return undefined;
    const payload = b.slice(at, at + length);
    this.#buffer = b.subarray(at + length);
    return { opcode: b[0]! & 0x0f, payload };
  }

  async #fill(): Promise<boolean> {
    const chunk = new Uint8Array(64 * 1024);
    const n = await this.#conn.read(chunk);
    if (n === null) return false;
    const merged = new Uint8Array(this.#buffer.length + n);
    merged.set(this.#buffer);
    merged.set(chunk.subarray(0, n), this.#buffer.length);
    this.#buffer = merged;
    return true;
  }
}

async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

/** One buffer holding every part in order. */
export { concat };

/**
 * The bytes of a WebSocket upgrade request for `path`, written by hand so that tests control the
 * socket: the bearer key (the cloud's unless `key` is given) and an optional subprotocol.
 *
 * @param cloud The cloud to ask.
 * @param path The route path.
 * @param options The subprotocol to offer and the key to present.
 * @returns The request head.
 */
export function upgradeRequest(
  cloud: LocalCloud,
  path: string,
  options: { protocol?: string | undefined; key?: string | undefined } = {},
): Uint8Array {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${new URL(cloud.url).host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version: 13",
    `Authorization: Bearer ${options.key ?? cloud.apiKey}`,
    ...(options.protocol ? [`Sec-WebSocket-Protocol: ${options.protocol}`] : []),
  ];
  return new TextEncoder().encode(`${lines.join("\r\n")}\r\n\r\n`);
}
