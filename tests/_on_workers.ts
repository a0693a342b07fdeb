// The globals that make the client open sockets the Workers way (`fetch` with `Upgrade:
// websocket`), for tests that run in Deno.

/** Runs `body` with `WebSocketPair` present and `WebSocketStream` absent, as on Workers. */
export async function asOnWorkers(body: () => Promise<void>): Promise<void> {
  const scope = globalThis as Record<string, unknown>;
  const stream = scope.WebSocketStream;
  scope.WebSocketPair = class {};
  delete scope.WebSocketStream;
  try {
    await body();
  } finally {
    delete scope.WebSocketPair;
    scope.WebSocketStream = stream;
  }
}
