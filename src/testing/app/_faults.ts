/**
 * Fault injection: the queues behind {@linkcode LocalCloudFaults} and the Hono middleware that
 * serves them to incoming requests.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./_error_body.ts";
import type { BootPlan } from "../rest/_sandbox_record.ts";
import type {
  DropNextOptions,
  ExecFaultKind,
  ExecFaultOptions,
  FailNextOptions,
  LocalCloudFaults,
  LogFaultKind,
  LogFaultOptions,
  NextBootOptions,
  ReplyNextOptions,
  TcpFaultKind,
  TcpFaultOptions,
} from "../local_cloud_faults.ts";

/** Default code and message per status (others get `http_<status>`). */
const FAILURES: Readonly<Record<number, { code: string; message: string }>> = {
  400: { code: "invalid_request", message: "invalid request" },
  401: { code: "invalid_api_key", message: "unauthorized" },
  403: { code: "forbidden", message: "forbidden" },
  404: { code: "not_found", message: "resource not found" },
  409: { code: "conflict", message: "conflict" },
  429: { code: "rate_limited", message: "too many requests" },
  500: { code: "internal_error", message: "internal error" },
  502: { code: "orchestrator_unreachable", message: "orchestrator unreachable" },
  503: { code: "service_unavailable", message: "service unavailable" },
  504: { code: "gateway_timeout", message: "gateway timeout" },
};

const EXEC_FAULTS: readonly ExecFaultKind[] = [
  "split",
  "coalesce",
  "closeBeforeExit",
  "oversizedLength",
  "truncatedFrame",
  "stall",
  "legacyHandshake",
];

const LOG_FAULTS: readonly LogFaultKind[] = [
  "cutAfter",
  "garbage",
  "invalidJson",
  "unknownEvent",
  "unknownSource",
  "stall",
  "endWithoutEvent",
];

const TCP_FAULTS: readonly TcpFaultKind[] = ["cutAfter", "stall"];

/** A TCP fault as a port tunnel takes it. */
export interface TcpFault {
  /** What goes wrong. */
  readonly kind: TcpFaultKind;
  /** The bytes from the server passed on before it goes wrong. */
  readonly bytes: number;
}

/** A log fault as a log stream takes it. */
export interface LogFault {
  /** What goes wrong. */
  readonly kind: LogFaultKind;
  /** For `cutAfter`: the log events sent before the cut. */
  readonly events: number;
}

/** A queue of faults, each served to `remaining` more requests. */
type Queue<T> = { value: T; remaining: number }[];

/** The fault queues of one local cloud. */
export class FaultPlan implements LocalCloudFaults {
  readonly #signal: AbortSignal;
  #replies: Queue<() => Response> = [];
  #delays: Queue<number> = [];
  #drops: Queue<DropNextOptions> = [];
  #boots: BootPlan[] = [];
  #execFaults: Queue<ExecFaultKind> = [];
  #logFaults: Queue<LogFault> = [];
  #tcpFaults: Queue<TcpFault> = [];

  /**
   * Creates an empty plan.
   *
   * @param signal Aborted when the cloud closes; cuts delays short.
   */
  constructor(signal: AbortSignal) {
    this.#signal = signal;
  }

  failNext(count: number, options: FailNextOptions): void {
    checkCount(count);
    if (!Number.isInteger(options.status) || options.status < 400 || options.status > 599) {
      throw new RangeError(`Cannot fail with status ${options.status}: use 400 to 599`);
    }
    const failure = { ...options };
    if (count > 0) this.#replies.push({ value: () => failureResponse(failure), remaining: count });
  }

  replyNext(count: number, options: ReplyNextOptions): void {
    checkCount(count);
    const status = options.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new RangeError(`Cannot reply with status ${status}: use 200 to 599`);
    }
    const headers = { "content-type": options.contentType ?? "application/json" };
    const body = options.body;
    if (count > 0) {
      this.#replies.push({
        value: () => new Response(body, { status, headers }),
        remaining: count,
      });
    }
  }

  delayNext(count: number, ms: number): void {
    checkCount(count);
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`Cannot delay by ${ms} ms: use a finite number of at least 0`);
    }
    if (count > 0) this.#delays.push({ value: ms, remaining: count });
  }

  dropNext(count: number, options: DropNextOptions = {}): void {
    checkCount(count);
    if (count > 0) this.#drops.push({ value: { ...options }, remaining: count });
  }

  nextBoot(options: NextBootOptions): void {
    const { delayMs } = options;
    if (delayMs !== undefined && (!Number.isFinite(delayMs) || delayMs < 0)) {
      throw new RangeError(`Cannot boot in ${delayMs} ms: use a finite number of at least 0`);
    }
    this.#boots.push({ fail: options.fail, delayMs });
  }

  execFault(kind: ExecFaultKind, options: ExecFaultOptions = {}): void {
    if (!EXEC_FAULTS.includes(kind)) {
      throw new TypeError(
        `Cannot inject exec fault ${JSON.stringify(kind)}: use one of ${EXEC_FAULTS.join(", ")}`,
      );
    }
    const count = options.sockets ?? 1;
    checkCount(count);
    if (count > 0) this.#execFaults.push({ value: kind, remaining: count });
  }

  /**
   * Consumes the fault of the next exec socket.
   *
   * @returns The fault, or `undefined` when none is queued.
   */
  takeExecFault(): ExecFaultKind | undefined {
    return take(this.#execFaults);
  }

  logFault(kind: LogFaultKind, options: LogFaultOptions = {}): void {
    if (!LOG_FAULTS.includes(kind)) {
      throw new TypeError(
        `Cannot inject log fault ${JSON.stringify(kind)}: use one of ${LOG_FAULTS.join(", ")}`,
      );
    }
    const events = options.events ?? 1;
    if (!Number.isSafeInteger(events) || events < 0) {
      throw new RangeError(`Cannot cut after ${events} events: use an integer of at least 0`);
    }
    const count = options.requests ?? 1;
    checkCount(count);
    if (count > 0) this.#logFaults.push({ value: { kind, events }, remaining: count });
  }

  /**
   * Consumes the fault of the next log stream.
   *
   * @returns The fault, or `undefined` when none is queued.
   */
  takeLogFault(): LogFault | undefined {
    return take(this.#logFaults);
  }

  tcpFault(kind: TcpFaultKind, options: TcpFaultOptions = {}): void {
    if (!TCP_FAULTS.includes(kind)) {
      throw new TypeError(
        `Cannot inject TCP fault ${JSON.stringify(kind)}: use one of ${TCP_FAULTS.join(", ")}`,
      );
    }
    const bytes = options.bytes ?? 0;
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new RangeError(`Cannot fail after ${bytes} bytes: use an integer of at least 0`);
    }
    const count = options.tunnels ?? 1;
    checkCount(count);
    if (count > 0) this.#tcpFaults.push({ value: { kind, bytes }, remaining: count });
  }

  /**
   * Consumes the fault of the next port tunnel.
   *
   * @returns The fault, or `undefined` when none is queued.
   */
  takeTcpFault(): TcpFault | undefined {
    return take(this.#tcpFaults);
  }

  reset(): void {
    this.#tcpFaults = [];
    this.#logFaults = [];
    this.#execFaults = [];
    this.#replies = [];
    this.#delays = [];
    this.#drops = [];
    this.#boots = [];
  }

  /**
   * Consumes the plan of the next boot.
   *
   * @returns The plan, or `undefined` when none is queued.
   */
  takeBootPlan(): BootPlan | undefined {
    return this.#boots.shift();
  }

  /** The middleware that applies the queued faults; mount it after authentication. */
  readonly middleware: MiddlewareHandler = async (c, next) => {
    const delay = take(this.#delays);
    if (delay !== undefined) await sleep(delay, this.#signal);
    const drop = take(this.#drops);
    // An upgrade's 101 answer cannot be swapped for a cut one (Deno's server then stops
    // listening), so an upgrade takes an `afterRoute` drop as a plain drop.
    if (drop?.afterRoute && c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      await next();
      // The route's answer is never sent: cancel its body, or a log stream stays subscribed.
      await c.res.body?.cancel();
      c.res = droppedResponse();
      return;
    }
    if (drop) return droppedResponse();
    const reply = take(this.#replies);
    if (reply) return reply();
    return await next();
  };
}

function checkCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`Cannot queue ${count} faults: use an integer of at least 0`);
  }
}

function take<T>(queue: Queue<T>): T | undefined {
  const head = queue[0];
  if (!head) return undefined;
  if (--head.remaining === 0) queue.shift();
  return head.value;
}

function failureResponse(options: FailNextOptions): Response {
  const { status, retryAfter, body } = options;
  const headers: Record<string, string> = retryAfter === undefined
    ? {}
    : { "retry-after": retryAfter };
  if (body !== undefined) {
    headers["content-type"] = isJson(body) ? "application/json" : "text/plain; charset=utf-8";
    return new Response(body, { status, headers });
  }
  const fallback = FAILURES[status] ?? { code: `http_${status}`, message: `HTTP ${status}` };
  const code = options.code ?? fallback.code;
  return errorResponse(status, code, options.message ?? fallback.message, headers);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A 200 whose body fails before its first byte, so the client sees a cut connection. */
function droppedResponse(): Response {
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new Error("Connection dropped by faults.dropNext"));
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
