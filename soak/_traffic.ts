// Every request and socket the clients open goes through here: counted against the run's cap,
// and every byte received (headers, bodies, WebSocket messages) fed to the key scan.

import type { KeyWatch } from "./_key_scan.ts";

/** The clients' way to the adapter: a counted, scanned `fetch` and `WebSocket`. */
export class Traffic {
  readonly cap: number;
  readonly #keys: KeyWatch;
  /** Requests and sockets opened so far. */
  requests = 0;

  constructor(cap: number, keys: KeyWatch) {
    this.cap = cap;
    this.#keys = keys;
  }

  /** Whether the cap is reached: clients then stop. */
  get exhausted(): boolean {
    return this.requests >= this.cap;
  }

  /** `fetch`, with the answer's headers and body scanned for the key as they arrive. */
  async fetch(url: string, init: RequestInit, what: string): Promise<Response> {
    this.requests++;
    const response = await fetch(url, init);
    const scan = this.#keys.scanner(what);
    scan([...response.headers].map(([name, value]) => `${name}: ${value}\n`).join(""));
    if (!response.body) return response;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          scan(chunk);
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: response.status, headers: response.headers });
  }

  /** A WebSocket whose every message is scanned for the key before the client sees it. */
  webSocket(url: string, headers: Record<string, string>, what: string): WebSocket {
    this.requests++;
    const socket = new WebSocket(url, { headers });
    socket.binaryType = "arraybuffer";
    const scan = this.#keys.scanner(what);
    socket.addEventListener("message", (event) => {
      scan(typeof event.data === "string" ? event.data : new Uint8Array(event.data));
    });
    return socket;
  }
}
