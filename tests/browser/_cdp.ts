// A minimal Chrome DevTools Protocol client over one WebSocket: commands with their replies,
// sessions attached to page targets (flat mode), and `Runtime.evaluate` returning values.

/** What a command failed with: the protocol's error, or an exception thrown in the page. */
export class CdpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CdpError";
  }
}

/** How long a command may wait for its reply. */
const REPLY_MS = 10_000;

interface Pending {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

/** One connection to the browser's DevTools endpoint. */
export class Cdp {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, Pending>();
  readonly #closed: Promise<void>;
  #next = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    this.#closed = new Promise((resolve) => socket.addEventListener("close", () => resolve()));
    socket.addEventListener("message", (event) => this.#receive(JSON.parse(event.data)));
    socket.addEventListener("close", () => {
      for (const pending of this.#pending.values()) {
        pending.reject(new CdpError("The DevTools connection closed"));
      }
      this.#pending.clear();
    });
  }

  /** Connects to `ws://…/devtools/browser/…`. */
  static async connect(url: string): Promise<Cdp> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener("open", () => resolve(), { once: true });
      socket.addEventListener(
        "error",
        () => reject(new CdpError(`Cannot connect to DevTools at ${url}`)),
        { once: true },
      );
    });
    return new Cdp(socket);
  }

  /** Sends a command (to a page when `sessionId` is given) and waits for its reply. */
  send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    const id = this.#next++;
    const message = sessionId ? { id, method, params, sessionId } : { id, method, params };
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.send(JSON.stringify(message));
    });
    const timer = setTimeout(() => {
      this.#pending.get(id)?.reject(new CdpError(`${method} got no reply in ${REPLY_MS} ms`));
      this.#pending.delete(id);
    }, REPLY_MS);
    return reply.finally(() => clearTimeout(timer));
  }

  /** Attaches to the first page target; returns its session id. */
  async attachToPage(): Promise<string> {
    const { targetInfos } = await this.send("Target.getTargets") as {
      targetInfos: { targetId: string; type: string }[];
    };
    const page = targetInfos.find((target) => target.type === "page");
    if (!page) throw new CdpError("The browser has no page open");
    const { sessionId } = await this.send("Target.attachToTarget", {
      targetId: page.targetId,
      flatten: true,
    });
    return sessionId as string;
  }

  /** Evaluates `expression` in the page and returns its value (awaited, as JSON). */
  async evaluate(sessionId: string, expression: string): Promise<unknown> {
    const reply = await this.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    }, sessionId) as {
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (reply.exceptionDetails) {
      const { text, exception } = reply.exceptionDetails;
      throw new CdpError(`The page threw: ${exception?.description ?? text}`);
    }
    return reply.result.value;
  }

  /** Closes the connection and waits until it is closed. */
  close(): Promise<void> {
    if (this.#socket.readyState !== WebSocket.CLOSED) this.#socket.close();
    return this.#closed;
  }

  #receive(message: {
    id?: number;
    result?: Record<string, unknown>;
    error?: { message: string };
  }): void {
    if (message.id === undefined) return; // an event: nothing here subscribes to any
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.error) pending.reject(new CdpError(message.error.message));
    else pending.resolve(message.result ?? {});
  }
}
