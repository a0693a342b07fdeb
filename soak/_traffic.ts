// Every request and socket the clients open goes through here: counted against the run's cap,
// and every byte received (headers, bodies, WebSocket messages) fed to the key scan.

import type { KeyWatch } from "./_key_scan.ts";

/** Responses whose bodies are being read (see `Traffic.fetch`). */
const HELD = new Set<Response>();

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
    // Deno 2.9 stops honouring the request's signal once the fetched Response is garbage
    // collected (its body then neither errors nor closes on abort), so it is held until its body
    // ends, fails or is cancelled.
    HELD.add(response);
    const release = () => HELD.delete(response);
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) return (release(), controller.close());
          scan(value);
          controller.enqueue(value);
        } catch (error) {
          release();
          throw error;
        }
      },
      cancel: (reason) => (release(), reader.cancel(reason)),
    }, { highWaterMark: 0 });
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
