// The requests a test sends to a snippet's fetch handler, the same whoever serves it (deno serve,
// Bun, workerd through miniflare), and what came back.

/** One request to a snippet's handler. */
export interface SnippetRequest {
  /** Path and query, such as `/?name=build-42`. */
  path: string;
  headers?: Record<string, string>;
  /** `GET` by default. */
  method?: string;
  /** A body to send. */
  body?: string;
  /** For a body that does not end (a log stream): read until this text, then cancel. */
  until?: string;
}

/** What a handler answered. */
export interface SnippetAnswer {
  status: number;
  body: string;
}

/**
 * Sends each request in turn through `send` and reads each answer.
 *
 * @param send Sends a request for a path: `fetch` on an origin, or miniflare's `dispatchFetch`.
 * @param requests The requests.
 * @returns The answers, in order.
 */
export async function ask(
  send: (path: string, init: RequestInit) => Promise<Response>,
  requests: readonly SnippetRequest[],
): Promise<SnippetAnswer[]> {
  const answers: SnippetAnswer[] = [];
  for (const request of requests) {
    const response = await send(request.path, {
      method: request.method ?? "GET",
      headers: request.headers ?? {},
      body: request.body ?? null,
    });
    const body = request.until === undefined
      ? await response.text()
      : await readUntil(response, request.until);
    answers.push({ status: response.status, body });
  }
  return answers;
}

/**
 * Reads `response`'s body until its text includes `marker`, then cancels it (a log stream never
 * ends by itself).
 *
 * @returns The text read.
 * @throws {Error} When the body ends, or 30 s pass, before the marker.
 */
export async function readUntil(response: Response, marker: string): Promise<string> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const timer = setTimeout(() => reader.cancel(new Error("no marker within 30 s")), 30_000);
  let text = "";
  try {
    while (!text.includes(marker)) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the body ended before ${JSON.stringify(marker)}:\n${text}`);
      text += value;
    }
    return text;
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
}
